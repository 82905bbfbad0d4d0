namespace FibRpc.Service.Binding;

/// <summary>
/// The AMQP properties of a request, whichever host delivered it (the Functions host through binding data, the local
/// trigger host through RabbitMQ.Client), with every property a retry or dead-lettered copy must carry on. Headers:
/// AMQP strings as <see cref="string"/> (<see cref="byte"/>[] when not UTF-8), integers as <see cref="long"/>, other
/// numbers as <see cref="double"/>, booleans as <see cref="bool"/>. <c>Expiration</c> is the AMQP per-message TTL
/// (milliseconds, as text); <c>Timestamp</c> whole seconds since 1970, 0 when not set.
/// </summary>
public sealed record RequestProperties(
    string? ReplyTo,
    string? CorrelationId,
    IReadOnlyDictionary<string, object?> Headers,
    string? MessageId = null,
    bool Redelivered = false,
    string? Expiration = null,
    long Timestamp = 0)
{
    public static IReadOnlyDictionary<string, object?> NoHeaders { get; } = new Dictionary<string, object?>();

    public string? ContentType { get; init; }

    public string? ContentEncoding { get; init; }

    /// <summary>2 for persistent, 1 or 0 for transient.</summary>
    public byte DeliveryMode { get; init; }

    public byte Priority { get; init; }

    public string? Type { get; init; }

    public string? AppId { get; init; }

    /// <summary>
    /// When the caller stops waiting for the answer: its publish time plus the request's TTL, which a client sets to
    /// its timeout. Known only when the request carries both a timestamp and an expiration (the broker tells neither
    /// when a message was queued nor how long it waited); the timestamp's whole seconds are rounded up, so a request
    /// is never thought older than it is.
    /// </summary>
    public DateTimeOffset? ExpiresAt =>
        Timestamp > 0 && long.TryParse(Expiration, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ttl)
            && Timestamp < 253_402_300_799 && ttl < 100L * 365 * 24 * 3600 * 1000
            ? DateTimeOffset.FromUnixTimeSeconds(Timestamp + 1).AddMilliseconds(ttl)
            : null;
}

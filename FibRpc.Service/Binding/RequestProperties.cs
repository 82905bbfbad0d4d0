namespace FibRpc.Service.Binding;

/// <summary>
/// The AMQP properties of a request message, whichever host delivered it: the Functions host (through binding data)
/// or the local trigger host (through RabbitMQ.Client). Besides what the service reads, it keeps every property a
/// retry copy or a dead-lettered copy must carry on (content type, delivery mode, priority, type, app id).
/// </summary>
/// <param name="ReplyTo">Queue to answer to; null when the client gave none.</param>
/// <param name="CorrelationId">Echoed in the reply; may be null.</param>
/// <param name="Headers">
/// Application headers: AMQP strings as <see cref="string"/> (or <see cref="byte"/>[] when not UTF-8), integers as
/// <see cref="long"/>, other numbers as <see cref="double"/>, booleans as <see cref="bool"/>.
/// </param>
/// <param name="MessageId">The request's message id, for logs.</param>
/// <param name="Redelivered">Whether the broker redelivered the request.</param>
/// <param name="Expiration">The AMQP <c>expiration</c> (a per-message TTL in milliseconds, as text), when set.</param>
/// <param name="Timestamp">The AMQP <c>timestamp</c> (whole seconds since 1970), 0 when not set.</param>
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

namespace FibRpc.Service.Binding;

/// <summary>
/// The properties of a request message that the handler needs, whichever host delivered it: the Functions host
/// (through binding data) or the local trigger host (through RabbitMQ.Client).
/// </summary>
/// <param name="ReplyTo">Queue to answer to; null when the client gave none.</param>
/// <param name="CorrelationId">Echoed in the reply; may be null.</param>
/// <param name="RequeueCount">How often the trigger has republished this request after a failure (clamped, never negative).</param>
/// <param name="Headers">
/// Application headers: AMQP strings as <see cref="string"/> (or <see cref="byte"/>[] when not UTF-8), integers as
/// <see cref="long"/>, other numbers as <see cref="double"/>, booleans as <see cref="bool"/>.
/// </param>
/// <param name="MessageId">The request's message id, for logs.</param>
/// <param name="Redelivered">Whether the broker redelivered the request.</param>
public sealed record RequestProperties(
    string? ReplyTo,
    string? CorrelationId,
    int RequeueCount,
    IReadOnlyDictionary<string, object?> Headers,
    string? MessageId = null,
    bool Redelivered = false)
{
    public static IReadOnlyDictionary<string, object?> NoHeaders { get; } = new Dictionary<string, object?>();

    /// <summary>The W3C trace context of the request, when the client sent one.</summary>
    public string? TraceParent => Headers.TryGetValue("traceparent", out var value) ? value as string : null;

    /// <summary>A quorum queue's count of earlier deliveries (<c>x-delivery-count</c>), 0 elsewhere.</summary>
    public int DeliveryCount => HeaderValues.DeliveryCount(Headers);

    /// <summary>
    /// Which attempt this delivery is, from everything the broker tells: the trigger's requeue header, a quorum
    /// queue's delivery count, and the redelivered flag (at least one earlier delivery, count unknown).
    /// </summary>
    public int Attempt => (int)Math.Min(int.MaxValue, 1L + Math.Max(Math.Max(RequeueCount, DeliveryCount), Redelivered ? 1 : 0));

    /// <summary>Whether the Functions host could count a retry of this request (see <see cref="HeaderValues.HostCanCountRequeues"/>).</summary>
    public bool HostCanCountRequeues => HeaderValues.HostCanCountRequeues(Headers);
}

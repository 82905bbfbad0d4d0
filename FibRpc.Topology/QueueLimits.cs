namespace FibRpc.Topology;

/// <summary>
/// What an operator tunes on the request queue and its dead-letter queue. They reach the broker as a policy
/// (<see cref="RpcPolicies"/>), never as declare arguments, so that changing one never means deleting the queue.
/// The defaults are argued in docs/scaling.md.
/// </summary>
public sealed record QueueLimits
{
    /// <summary>
    /// The most requests the request queue holds; beyond it the broker refuses new ones (overflow reject-publish:
    /// the publisher gets a nack, the client a FibRpcOverloadedException) instead of growing towards its memory
    /// alarm, which would block every publisher, the replies included.
    /// </summary>
    public int MaxLength { get; init; } = 10_000;

    /// <summary>
    /// How often a quorum queue hands out one request before it dead-letters it: a backstop against a request that
    /// kills its worker each time. Above the service's own attempt count (FibRpc__MaxAttempts, 5), so that a
    /// request the service can still answer with an error reply gets that reply first.
    /// </summary>
    public int DeliveryLimit { get; init; } = 10;

    /// <summary>The most dead letters kept; the oldest go first (drop-head), so a flood of poison never blocks the request queue.</summary>
    public int DeadLetterMaxLength { get; init; } = 100_000;

    /// <summary>How long a dead letter is kept for someone to look at (7 days).</summary>
    public long DeadLetterMessageTtlMilliseconds { get; init; } = 7L * 24 * 60 * 60 * 1000;

    public static QueueLimits Default { get; } = new();
}

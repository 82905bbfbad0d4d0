namespace FibRpc;

/// <summary>
/// Settings of the core, bound from the configuration section <c>FibRpc</c> (app settings <c>FibRpc__MaxN</c>, ...).
/// The AMQP URI is not here: it comes from the <c>RabbitMQConnection</c> setting shared with the trigger.
/// </summary>
public sealed class FibRpcOptions
{
    public const string SectionName = "FibRpc";

    /// <summary>Largest n answered; larger requests get a <c>too_large</c> error reply.</summary>
    public int MaxN { get; set; } = 1_000_000;

    /// <summary>Largest request body accepted, in bytes, before any parsing.</summary>
    public int MaxBodyBytes { get; set; } = 64;

    /// <summary>How long a reply may wait for the broker's confirm before the attempt counts as failed.</summary>
    public int PublishTimeoutSeconds { get; set; } = 10;

    /// <summary>Bytes of recent replies kept so that repeated requests for a large n are not recomputed; 0 disables.</summary>
    public long CacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The queue the service consumes. The function's trigger is bound to <see cref="RpcNames.Queue"/>; the local
    /// trigger host may be pointed elsewhere (tests, side-by-side instances).
    /// </summary>
    public string RequestQueue { get; set; } = RpcNames.Queue;

    /// <summary>Further queues that a reply must never be sent to (queues of other consumers of this app).</summary>
    public List<string> ForbiddenReplyQueues { get; set; } = [];

    public TimeSpan PublishTimeout => TimeSpan.FromSeconds(PublishTimeoutSeconds);
}

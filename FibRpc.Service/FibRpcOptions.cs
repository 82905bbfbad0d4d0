using System.ComponentModel.DataAnnotations;
using FibRpc.Contract;

namespace FibRpc.Service;

/// <summary>
/// Settings of the service, bound from the configuration section <c>FibRpc</c> (app settings <c>FibRpc__MaxN</c>,
/// ...) and validated at start-up by <see cref="FibRpcOptionsValidator"/>. The AMQP URI is not here: it comes from
/// the <c>RabbitMQConnection</c> setting shared with the trigger.
/// </summary>
public sealed class FibRpcOptions
{
    public const string SectionName = "FibRpc";

    /// <summary>Beyond this the reply (about 2 million digits) and its computation stop being a sensible RPC.</summary>
    public const int LargestMaxN = 10_000_000;

    /// <summary>Largest n answered; larger requests get a <c>too_large</c> error reply.</summary>
    [SettingRange(0, LargestMaxN, ErrorMessage = "FibRpc__MaxN must be between {1} and {2}")]
    public int MaxN { get; set; } = 1_000_000;

    /// <summary>Largest request body accepted, in bytes, before any parsing.</summary>
    [SettingRange(1, 1 << 20, ErrorMessage = "FibRpc__MaxBodyBytes must be between {1} and {2}")]
    public int MaxBodyBytes { get; set; } = 64;

    /// <summary>How long a reply may wait for the broker's confirm before the attempt counts as failed.</summary>
    [SettingRange(1, 3600, ErrorMessage = "FibRpc__PublishTimeoutSeconds must be between {1} and {2}")]
    public int PublishTimeoutSeconds { get; set; } = 10;

    /// <summary>Bytes of recent replies kept so that repeated requests for a large n are not recomputed; 0 disables.</summary>
    [SettingRange(0, long.MaxValue, ErrorMessage = "FibRpc__CacheBytes must be 0 (no cache) or more")]
    public long CacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The queue the service consumes. The function's trigger is bound to <see cref="RpcNames.Queue"/>; the local
    /// trigger host may be pointed elsewhere (tests, side-by-side instances).
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "FibRpc__RequestQueue must name a queue")]
    public string RequestQueue { get; set; } = RpcNames.Queue;

    /// <summary>Further queues that a reply must never be sent to (queues of other consumers of this app).</summary>
    public List<string> ForbiddenReplyQueues { get; set; } = [];

    /// <summary>
    /// Queue names a reply may go to besides direct reply-to and server-named (<c>amq.gen-*</c>) queues: for clients
    /// that receive replies on a queue of their own naming.
    /// </summary>
    public List<string> AllowedReplyQueues { get; set; } = [];

    /// <summary>Queue name prefixes a reply may go to, e.g. <c>billing.replies.</c> for every queue whose name begins with it.</summary>
    public List<string> AllowedReplyQueuePrefixes { get; set; } = [];

    /// <summary>
    /// Attempts at a request before it is given up, under both hosts: a reply that fails at the last attempt is
    /// dead-lettered; a request delivered more often without an answer gets an <c>attempts_exhausted</c> error reply.
    /// The Functions host's own limit is 5.
    /// </summary>
    [SettingRange(1, 100, ErrorMessage = "FibRpc__MaxAttempts must be between {1} and {2}")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// How often the service publishes a reply (each time on a fresh channel, with a back-off) before it gives the
    /// failure to the trigger, whose retry costs a whole attempt.
    /// </summary>
    [SettingRange(1, 10, ErrorMessage = "FibRpc__ReplyPublishAttempts must be between {1} and {2}")]
    public int ReplyPublishAttempts { get; set; } = 3;

    /// <summary>How long a reply waits for the broker to lift a block on publishing (memory or disk alarm) before the attempt fails.</summary>
    [SettingRange(1, 3600, ErrorMessage = "FibRpc__BlockedWaitSeconds must be between {1} and {2}")]
    public int BlockedWaitSeconds { get; set; } = 60;

    public TimeSpan PublishTimeout => TimeSpan.FromSeconds(PublishTimeoutSeconds);

    public TimeSpan BlockedWait => TimeSpan.FromSeconds(BlockedWaitSeconds);
}

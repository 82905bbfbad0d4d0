namespace FibRpc.Client;

/// <summary>Where the client receives its replies.</summary>
public enum ReplyQueueMode
{
    /// <summary>RabbitMQ's direct reply-to pseudo-queue: no queue to declare, nothing left behind.</summary>
    DirectReplyTo,

    /// <summary>A server-named exclusive, auto-delete queue, as in the RabbitMQ tutorial.</summary>
    ExclusiveQueue,
}

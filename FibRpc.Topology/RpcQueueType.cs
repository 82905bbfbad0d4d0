namespace FibRpc.Topology;

/// <summary>
/// The queue type of the request queue and its dead-letter queue: a declare argument (<c>x-queue-type</c>), fixed
/// for the queue's life. RabbitMQ cannot change it in place; docs/scaling.md says how to move a classic queue.
/// </summary>
public enum RpcQueueType
{
    /// <summary>
    /// Replicated on (up to) every node of the cluster, with a leader elected among them: survives the loss of a
    /// minority of nodes without losing a confirmed message, and supports a delivery limit and at-least-once
    /// dead-lettering. The default for new deployments.
    /// </summary>
    Quorum,

    /// <summary>One node's queue: gone while that node is down. For an existing deployment until it migrates.</summary>
    Classic,
}

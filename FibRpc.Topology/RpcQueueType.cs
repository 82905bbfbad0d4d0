namespace FibRpc.Topology;

/// <summary>
/// The queue type of the request queue and its dead-letter queue (<c>x-queue-type</c>), fixed for the queue's life;
/// docs/scaling.md says how to move a classic queue.
/// </summary>
public enum RpcQueueType
{
    /// <summary>
    /// Replicated, with an elected leader: survives the loss of a minority of nodes without losing a confirmed
    /// message, and supports a delivery limit and at-least-once dead-lettering. The default for new deployments.
    /// </summary>
    Quorum,

    /// <summary>One node's queue: gone while that node is down. For an existing deployment until it migrates.</summary>
    Classic,
}

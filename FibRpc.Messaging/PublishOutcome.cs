namespace FibRpc.Messaging;

/// <summary>What became of a message published with confirms.</summary>
public enum PublishOutcome
{
    /// <summary>The broker routed the message and confirmed it.</summary>
    Confirmed,

    /// <summary>No queue matched (for a reply: the client's queue is gone). The broker returned it.</summary>
    Returned,
}

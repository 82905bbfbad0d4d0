namespace FibRpc.Service.Replies;

/// <summary>What became of a reply that <see cref="ReplySender"/> published.</summary>
public enum ReplyDelivery
{
    /// <summary>The broker routed the reply and confirmed it.</summary>
    Confirmed,

    /// <summary>The broker returned it as unroutable: the client's queue is gone.</summary>
    Returned,

    /// <summary>The broker refused it (it closed the channel or connection because of this reply).</summary>
    Refused,
}

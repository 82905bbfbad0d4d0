namespace FibRpc.Client;

/// <summary>
/// The request was sent, but the way its reply comes back is gone before the reply arrived: the connection to the
/// broker was lost, the reply channel closed, or the broker cancelled the reply consumer (its reply queue was
/// deleted). The reply can no longer reach this client, so the call fails at once instead of waiting out its
/// timeout. The service may still process the request (its reply is then dropped); calling again is safe, since
/// F(n) does not change. The client opens a fresh reply path for the next call.
/// </summary>
public sealed class FibRpcReplyLostException : FibRpcCallLostException
{
    internal FibRpcReplyLostException(string correlationId, string reason)
        : base($"the reply path of request {correlationId} was lost before its reply arrived ({reason}); its reply cannot reach this client any more: call again")
    {
        CorrelationId = correlationId;
        Reason = reason;
    }

    /// <summary>The correlation id of the call that lost its reply.</summary>
    public string CorrelationId { get; }

    /// <summary>What happened to the reply path, as the broker or the client library reported it.</summary>
    public string Reason { get; }
}

namespace FibRpc.Client;

/// <summary>
/// The request was sent, but its reply path (connection, reply channel or consumer) broke before the reply arrived:
/// the reply can no longer reach this client, so the call fails at once instead of waiting out its timeout.
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

namespace FibRpc.Cli.Bench;

/// <summary>Why a call got no reply, as the RPC client tells it apart; counted separately by the bench.</summary>
public enum FailureKind
{
    /// <summary>Sent and confirmed, but no reply within the timeout: the service is slow or not running.</summary>
    Timeout,

    /// <summary>The reply path broke after the request was sent (connection lost, consumer cancelled).</summary>
    ReplyLost,

    /// <summary>No connection to the broker within the timeout, or it closed while the request was being sent.</summary>
    ConnectionLost,

    /// <summary>The broker nacked the request and there was no time left to retry it on a fresh channel.</summary>
    Nacked,

    /// <summary>The broker nacked the request on fresh channels too: the request queue is full.</summary>
    Overloaded,
}

namespace FibRpc.Client;

/// <summary>
/// The call's timeout ran out: before a reply path could be opened or the request sent, before the broker confirmed
/// the request, or, with <see cref="RequestConfirmed"/>, while waiting for the reply to a request the broker had
/// taken (the service is slow or not running). The request expires in the queue with the same timeout, so the
/// service does not compute it after nobody waits.
/// </summary>
public sealed class FibRpcTimeoutException : FibRpcException
{
    internal FibRpcTimeoutException(string message, TimeSpan timeout, bool requestConfirmed, Exception? innerException = null)
        : base(message, innerException)
    {
        Timeout = timeout;
        RequestConfirmed = requestConfirmed;
    }

    /// <summary>The call's timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Whether the broker had confirmed the request, so that the call was waiting only for the reply.</summary>
    public bool RequestConfirmed { get; }
}

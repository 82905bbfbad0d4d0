namespace FibRpc.Client;

/// <summary>
/// The call's timeout ran out, before the broker confirmed the request or (<see cref="RequestConfirmed"/>) while
/// waiting for its reply. The request expires in the queue with the same timeout, so nobody computes it after.
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

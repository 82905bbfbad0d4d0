namespace FibRpc.Client;

/// <summary>
/// The client could not connect to the broker, so nothing was sent: connecting failed (the inner exception says
/// why), or a call found the connection down and it did not come back within the call's timeout (the client keeps
/// reconnecting in the background).
/// </summary>
public sealed class FibRpcConnectFailedException : FibRpcException
{
    internal FibRpcConnectFailedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

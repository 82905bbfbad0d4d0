namespace FibRpc.Client;

/// <summary>
/// The client could not connect to the broker, so nothing was sent: <see cref="FibRpcClient.ConnectAsync(FibRpcClientOptions, CancellationToken)"/>
/// failed (the inner exception says why: no broker answers, the user or password was refused, the virtual host is
/// missing, TLS failed, the URI or CA file is unusable), or a call found the connection down and it did not come back
/// within the call's timeout (the client keeps reconnecting in the background). Calling again once the broker is
/// reachable is safe.
/// </summary>
public sealed class FibRpcConnectFailedException : FibRpcException
{
    internal FibRpcConnectFailedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

namespace FibRpc.Client;

/// <summary>
/// The connection or the reply path was lost with the call in flight. The call can be made again safely (F(n) never
/// changes); with <see cref="FibRpcClientOptions.ResendOnConnectionLoss"/> the client does so itself.
/// </summary>
public abstract class FibRpcCallLostException : FibRpcException
{
    private protected FibRpcCallLostException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

namespace FibRpc.Client;

/// <summary>
/// The connection or the reply path was lost with the call in flight: <see cref="FibRpcConnectionLostException"/>
/// while the request was being sent, <see cref="FibRpcReplyLostException"/> after the broker took it. The call can
/// be made again safely (F(n) never changes); with <see cref="FibRpcClientOptions.ResendOnConnectionLoss"/> the
/// client does so itself within the call's timeout.
/// </summary>
public abstract class FibRpcCallLostException : FibRpcException
{
    private protected FibRpcCallLostException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

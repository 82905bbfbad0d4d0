namespace FibRpc.Client;

/// <summary>The connection to the broker closed while the request was being sent and confirmed: whether the broker took it is unknown.</summary>
public sealed class FibRpcConnectionLostException : FibRpcCallLostException
{
    internal FibRpcConnectionLostException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

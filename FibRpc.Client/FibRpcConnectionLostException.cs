namespace FibRpc.Client;

/// <summary>
/// The connection to the broker closed while the request was being sent and confirmed, so whether the broker took
/// it is unknown. Calling again once the broker is back is safe.
/// </summary>
public sealed class FibRpcConnectionLostException : FibRpcCallLostException
{
    internal FibRpcConnectionLostException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

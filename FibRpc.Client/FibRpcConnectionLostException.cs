namespace FibRpc.Client;

/// <summary>
/// The request could not be sent for want of a connection: the broker was unreachable for the call's whole timeout
/// (the client keeps reconnecting in the background), or the connection closed while the request was being sent
/// and confirmed, so whether the broker took it is unknown. Calling again once the broker is back is safe.
/// </summary>
public sealed class FibRpcConnectionLostException(string message, Exception? innerException = null)
    : IOException(message, innerException);

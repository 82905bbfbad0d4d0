namespace FibRpc.Client;

/// <summary>
/// Why <see cref="FibRpcClient"/> could not give an answer: the one base of every failure the client reports about
/// the service, the broker or the connection. Each derived type says what happened:
/// <list type="bullet">
/// <item><see cref="FibRpcErrorReplyException"/>: the service answered with an error reply (its code and message).</item>
/// <item><see cref="FibRpcTimeoutException"/>: no confirm or no reply within the call's timeout.</item>
/// <item><see cref="FibRpcConnectFailedException"/>: the client could not connect to the broker (nothing was sent).</item>
/// <item><see cref="FibRpcCallLostException"/>: the connection or the reply path was lost with the call in flight
/// (<see cref="FibRpcConnectionLostException"/> while sending, <see cref="FibRpcReplyLostException"/> while waiting for the reply).</item>
/// <item><see cref="FibRpcUnroutableException"/>: the broker has no request queue to route the request to.</item>
/// <item><see cref="FibRpcNackedException"/>: the broker refused the request (<see cref="FibRpcOverloadedException"/>: on fresh channels too, the queue is full).</item>
/// </list>
/// What is not about the service is reported as everywhere in .NET: the caller's cancellation as
/// <see cref="OperationCanceledException"/>, a call on (or during the disposal of) a disposed client as
/// <see cref="ObjectDisposedException"/>, bad arguments as <see cref="ArgumentException"/>.
/// </summary>
public abstract class FibRpcException : Exception
{
    // Only this assembly derives from it: the list above is the whole family.
    private protected FibRpcException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

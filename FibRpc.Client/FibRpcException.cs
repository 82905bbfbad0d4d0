namespace FibRpc.Client;

/// <summary>
/// The one base of every failure <see cref="FibRpcClient"/> reports about the service, the broker or the connection;
/// each derived type says what happened. What is not about the service is reported as everywhere in .NET: the
/// caller's cancellation as <see cref="OperationCanceledException"/>, a call on (or during the disposal of) a disposed
/// client as <see cref="ObjectDisposedException"/>, bad arguments as <see cref="ArgumentException"/>.
/// </summary>
public abstract class FibRpcException : Exception
{
    // Only this assembly derives from it: its derived types are the whole family.
    private protected FibRpcException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

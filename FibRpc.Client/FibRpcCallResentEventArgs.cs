namespace FibRpc.Client;

/// <summary>A call is about to be sent again because its connection or reply path was lost.</summary>
/// <param name="request">The request body being sent again.</param>
/// <param name="loss">What happened to the previous attempt: <see cref="FibRpcReplyLostException"/> or <see cref="FibRpcConnectionLostException"/>.</param>
public sealed class FibRpcCallResentEventArgs(ReadOnlyMemory<byte> request, FibRpcCallLostException loss) : EventArgs
{
    public ReadOnlyMemory<byte> Request { get; } = request;

    public FibRpcCallLostException Loss { get; } = loss;
}

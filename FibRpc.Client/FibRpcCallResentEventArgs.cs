namespace FibRpc.Client;

/// <summary>A call is about to be sent again because its connection or reply path was lost.</summary>
public sealed class FibRpcCallResentEventArgs(ReadOnlyMemory<byte> request, FibRpcCallLostException loss) : EventArgs
{
    public ReadOnlyMemory<byte> Request { get; } = request;

    public FibRpcCallLostException Loss { get; } = loss;
}

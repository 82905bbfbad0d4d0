namespace FibRpc.Contract;

/// <summary>The outcome of parsing a request body: either n or the error to reply with.</summary>
public readonly struct FibRequest
{
    private FibRequest(int n, RpcError? error)
    {
        N = n;
        Error = error;
    }

    public int N { get; }

    public RpcError? Error { get; }

    public static FibRequest Valid(int n) => new(n, null);

    public static FibRequest Invalid(string code, string message) => new(0, new RpcError(code, message));
}

namespace FibRpc.Contract;

/// <summary>The outcome of parsing a request body: either n or the error to reply with.</summary>
public readonly record struct FibRequest(int N, RpcError? Error)
{
    public static FibRequest Valid(int n) => new(n, null);

    public static FibRequest Invalid(string code, string message) => new(0, new RpcError(code, message));
}

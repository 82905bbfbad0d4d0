using FibRpc.Contract;

namespace FibRpc.Client;

/// <summary>
/// The service answered with an error reply: <see cref="Code"/> is one of <see cref="RpcErrorCodes"/>
/// (<c>unknown</c> when the reply named none), the message is the reply's body.
/// </summary>
public sealed class FibRpcErrorReplyException : FibRpcException
{
    internal FibRpcErrorReplyException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>The error code of the reply's <c>x-fib-error</c> header.</summary>
    public string Code { get; }
}

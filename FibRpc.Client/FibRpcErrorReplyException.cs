using FibRpc.Contract;

namespace FibRpc.Client;

/// <summary>
/// The service answered with an error reply: the request was bad (<c>negative</c>, <c>too_large</c>, ...) or the
/// service failed it (<c>internal_error</c>, <c>attempts_exhausted</c>). <see cref="Code"/> is one of
/// <see cref="RpcErrorCodes"/> (<c>unknown</c> when the reply named none); the message is the reply's body,
/// <c>error &lt;code&gt;: &lt;message&gt;</c>. Sending the same request again gets the same answer.
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

using FibRpc.Contract;

namespace FibRpc.Client;

/// <summary>The service answered with an error reply; <see cref="Code"/> is one of <see cref="Contract.RpcErrorCodes"/>.</summary>
public sealed class FibRpcErrorException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

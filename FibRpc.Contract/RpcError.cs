namespace FibRpc.Contract;

/// <summary>Why a request was not answered with a number: a code for machines and a message for people.</summary>
public readonly record struct RpcError(string Code, string Message);

using FibRpc.Contract;

namespace FibRpc.Tests.Deployment.Facts;

/// <summary>
/// What the code states, read from the compiled assemblies rather than their text: the names in <see cref="RpcNames"/>.
/// </summary>
internal static class CodeFacts
{
    public const string RpcNamesFile = "FibRpc.Contract/RpcNames.cs";

    public static IEnumerable<Statement> Read() =>
    [
        new(FactNames.Queue, RpcNames.Queue, RpcNamesFile, "RpcNames.Queue"),
        new(FactNames.DeadLetterExchange, RpcNames.DeadLetterExchange, RpcNamesFile, "RpcNames.DeadLetterExchange"),
        new(FactNames.DeadLetterQueue, RpcNames.DeadLetterQueue, RpcNamesFile, "RpcNames.DeadLetterQueue"),
        new(FactNames.ConnectionSetting, RpcNames.ConnectionSetting, RpcNamesFile, "RpcNames.ConnectionSetting"),
        new(FactNames.FunctionName, RpcNames.FunctionName, RpcNamesFile, "RpcNames.FunctionName"),
    ];
}

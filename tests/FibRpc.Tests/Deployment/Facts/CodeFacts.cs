using System.Globalization;
using FibRpc.Contract;
using FibRpc.Topology;

namespace FibRpc.Tests.Deployment.Facts;

/// <summary>
/// What the code states, read from the compiled assemblies rather than their text: the names in
/// <see cref="RpcNames"/> and the declare arguments of <see cref="RpcTopology"/> (what `fibrpc topology` declares).
/// </summary>
internal static class CodeFacts
{
    public const string RpcNamesFile = "FibRpc.Contract/RpcNames.cs";
    public const string TopologyFile = "FibRpc.Topology/RpcTopology.cs";
    public const string PoliciesFile = "FibRpc.Topology/RpcPolicies.cs";

    public static IEnumerable<Statement> Read() =>
    [
        new(FactNames.Queue, RpcNames.Queue, RpcNamesFile, "RpcNames.Queue"),
        new(FactNames.DeadLetterExchange, RpcNames.DeadLetterExchange, RpcNamesFile, "RpcNames.DeadLetterExchange"),
        new(FactNames.DeadLetterQueue, RpcNames.DeadLetterQueue, RpcNamesFile, "RpcNames.DeadLetterQueue"),
        new(FactNames.ConnectionSetting, RpcNames.ConnectionSetting, RpcNamesFile, "RpcNames.ConnectionSetting"),
        new(FactNames.FunctionName, RpcNames.FunctionName, RpcNamesFile, "RpcNames.FunctionName"),
        new(FactNames.RequestQueueArguments, Format(RpcTopology.RequestQueueArguments(RpcNames.Queue)), TopologyFile, $"RequestQueueArguments(\"{RpcNames.Queue}\")"),
        new(FactNames.DeadLetterQueueArguments, Format(RpcTopology.DeadLetterQueueArguments()), TopologyFile, "DeadLetterQueueArguments()"),
        new(FactNames.RequestQueuePolicy, Policy(RpcPolicies.RequestQueue(RpcNames.Queue, QueueLimits.Default)), PoliciesFile, $"RequestQueue(\"{RpcNames.Queue}\", QueueLimits.Default)"),
        new(FactNames.DeadLetterQueuePolicy, Policy(RpcPolicies.DeadLetterQueue(RpcNames.Queue, QueueLimits.Default)), PoliciesFile, $"DeadLetterQueue(\"{RpcNames.Queue}\", QueueLimits.Default)"),
    ];

    /// <summary>A policy as one comparable text: name, pattern, apply-to, priority and the sorted definition.</summary>
    public static string Policy(RpcPolicy policy) =>
        $"{policy.Name} {policy.Pattern} {policy.ApplyTo} {policy.Priority.ToString(CultureInfo.InvariantCulture)} {RpcPolicies.DefinitionJson(policy)}";

    private static string Format(Dictionary<string, object?> arguments) =>
        BrokerDefinitionsFacts.Format(arguments.Select(a => KeyValuePair.Create(a.Key, Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? "")));
}

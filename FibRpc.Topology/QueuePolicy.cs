namespace FibRpc.Topology;

/// <summary>A policy with the one queue its pattern matches: what a check of the broker looks at afterwards.</summary>
/// <param name="Queue">The queue the policy is for.</param>
/// <param name="Policy">The policy.</param>
public sealed record QueuePolicy(string Queue, RpcPolicy Policy);

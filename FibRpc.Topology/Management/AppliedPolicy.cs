namespace FibRpc.Topology.Management;

/// <summary>A policy the broker holds as sent and that wins its queue, as read back from the management API.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Policy">The name of the policy the queue follows.</param>
/// <param name="Definition">The policy's keys and values as the broker holds them, as JSON.</param>
public sealed record AppliedPolicy(string Queue, string Policy, string Definition);

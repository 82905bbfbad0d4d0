namespace FibRpc.Service.Topology.Management;

/// <summary>A policy the broker has taken and a queue follows, as the management API reports it afterwards.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Policy">The name of the policy the queue follows.</param>
/// <param name="EffectiveDefinition">The keys in force on the queue, as JSON.</param>
public sealed record AppliedPolicy(string Queue, string Policy, string EffectiveDefinition);

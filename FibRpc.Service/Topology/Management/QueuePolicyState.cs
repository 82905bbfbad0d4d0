using System.Text.Json;
using System.Text.Json.Serialization;

namespace FibRpc.Service.Topology.Management;

/// <summary>What GET /api/queues/{vhost}/{name} says about the policy a queue follows (the rest of the answer is ignored).</summary>
/// <param name="Policy">The name of the user policy that applies, or null/empty when none does.</param>
/// <param name="EffectivePolicyDefinition">The keys in force: the policy's, merged with any operator policy.</param>
public sealed record QueuePolicyState(
    [property: JsonPropertyName("policy")] string? Policy,
    [property: JsonPropertyName("effective_policy_definition")] JsonElement? EffectivePolicyDefinition);

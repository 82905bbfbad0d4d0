using System.Text.Json;
using System.Text.Json.Serialization;

namespace FibRpc.Topology.Management;

/// <summary>A policy as GET /api/policies/{vhost} lists it: what the broker holds, not what was sent.</summary>
/// <param name="Name">The policy's name.</param>
/// <param name="Pattern">Regular expression over the names of what it applies to.</param>
/// <param name="ApplyTo">"queues", "exchanges" or "all" (newer brokers also "classic_queues", "quorum_queues", "streams").</param>
/// <param name="Priority">Of the policies that match a queue, the one of highest priority applies.</param>
/// <param name="Definition">Its keys and values.</param>
public sealed record StoredPolicy(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("pattern")] string Pattern,
    [property: JsonPropertyName("apply-to")] string ApplyTo,
    [property: JsonPropertyName("priority")] int Priority,
    [property: JsonPropertyName("definition")] JsonElement Definition);

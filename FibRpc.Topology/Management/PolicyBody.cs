using System.Text.Json;
using System.Text.Json.Serialization;

namespace FibRpc.Topology.Management;

/// <summary>The body of PUT /api/policies/{vhost}/{name}: the same fields rabbitmqctl set_policy takes.</summary>
/// <param name="Pattern">Regular expression over queue names.</param>
/// <param name="Definition">The policy's keys and values, numbers as JSON numbers (the API refuses "10000" for max-length).</param>
/// <param name="Priority">Only the policy of highest priority applies to a queue.</param>
/// <param name="ApplyTo">"queues".</param>
internal sealed record PolicyBody(
    [property: JsonPropertyName("pattern")] string Pattern,
    [property: JsonPropertyName("definition")] JsonElement Definition,
    [property: JsonPropertyName("priority")] int Priority,
    [property: JsonPropertyName("apply-to")] string ApplyTo)
{
    public static PolicyBody Of(RpcPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var definition = JsonDocument.Parse(RpcPolicies.DefinitionJson(policy));
        return new PolicyBody(policy.Pattern, definition.RootElement.Clone(), policy.Priority, policy.ApplyTo);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace FibRpc.Topology.Management;

/// <summary>Generated serializers, so that the Native AOT publish has no trim warnings.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PolicyBody))]
[JsonSerializable(typeof(List<StoredPolicy>))]
[JsonSerializable(typeof(ManagementError))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;

/// <summary>
/// The body of PUT /api/policies/{vhost}/{name}: the same fields rabbitmqctl set_policy takes, the definition's
/// numbers as JSON numbers (the API refuses "10000" for max-length).
/// </summary>
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

/// <summary>
/// A policy as GET /api/policies/{vhost} lists it: what the broker holds, not what was sent. <see cref="ApplyTo"/> is
/// "queues", "exchanges" or "all" (newer brokers also "classic_queues", "quorum_queues", "streams").
/// </summary>
public sealed record StoredPolicy(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("pattern")] string Pattern,
    [property: JsonPropertyName("apply-to")] string ApplyTo,
    [property: JsonPropertyName("priority")] int Priority,
    [property: JsonPropertyName("definition")] JsonElement Definition);

/// <summary>The body the management API answers an error with: {"error": "not_authorised", "reason": "..."}.</summary>
internal sealed record ManagementError(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("reason")] string? Reason);

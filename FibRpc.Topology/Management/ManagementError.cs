using System.Text.Json.Serialization;

namespace FibRpc.Topology.Management;

/// <summary>The body the management API answers an error with: {"error": "not_authorised", "reason": "..."}.</summary>
internal sealed record ManagementError(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("reason")] string? Reason);

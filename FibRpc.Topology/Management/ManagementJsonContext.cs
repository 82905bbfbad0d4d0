using System.Text.Json.Serialization;

namespace FibRpc.Topology.Management;

/// <summary>
/// Generated serializers for the management API's JSON: no reflection, so the fibrpc tool still publishes as Native
/// AOT without trim warnings.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PolicyBody))]
[JsonSerializable(typeof(List<StoredPolicy>))]
[JsonSerializable(typeof(ManagementError))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;

namespace FibRpc.Cli.Bench;

/// <summary>Source-generated JSON for <c>--json</c>: camelCase, indented, stable field names for scripts.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(BenchResult))]
public sealed partial class BenchJsonContext : JsonSerializerContext;

using System.Text.Json;

namespace FibRpc.Tests.Binding;

/// <summary>
/// Binding data exactly as the Functions host hands it to the worker (TestData/binding-data.jsonl): each line a
/// case, with the host's <c>BasicProperties</c> JSON string and the text values of DeliveryTag and Redelivered.
/// </summary>
internal static class BindingDataFixtures
{
    private static readonly Lazy<Dictionary<string, Dictionary<string, object?>>> Cases = new(Load);

    /// <summary>The names of all cases, for theories over every one.</summary>
    public static TheoryData<string> Names() => [.. Cases.Value.Keys];

    public static IReadOnlyDictionary<string, object?> Case(string name) =>
        Cases.Value.TryGetValue(name, out var data) ? new Dictionary<string, object?>(data, StringComparer.OrdinalIgnoreCase) : throw new InvalidOperationException($"no fixture case '{name}'");

    private static Dictionary<string, Dictionary<string, object?>> Load()
    {
        var cases = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "binding-data.jsonl")))
        {
            using var document = JsonDocument.Parse(line);

            // The host's dictionary ignores the case of keys; so does this one.
            cases[document.RootElement.GetProperty("case").GetString()!] = document.RootElement.EnumerateObject().Where(p => p.Name != "case").ToDictionary(
                p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : (object?)p.Value.GetRawText(), StringComparer.OrdinalIgnoreCase);
        }

        return cases;
    }
}

using System.Text.Json;

namespace FibRpc.Tests.Binding;

/// <summary>
/// Binding data exactly as the Functions host hands it to the worker (TestData/binding-data.jsonl): each line a
/// case, with the host's <c>BasicProperties</c> JSON string and the text values of DeliveryTag and Redelivered.
/// </summary>
internal static class BindingDataFixtures
{
    private static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "binding-data.jsonl");

    /// <summary>The names of all cases, for theories over every one.</summary>
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var line in File.ReadLines(Path))
        {
            using var document = JsonDocument.Parse(line);
            names.Add(document.RootElement.GetProperty("case").GetString()!);
        }

        return names;
    }

    public static IReadOnlyDictionary<string, object?> Case(string name)
    {
        var path = Path;
        foreach (var line in File.ReadLines(path))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.GetProperty("case").GetString() != name)
            {
                continue;
            }

            // The host's dictionary ignores the case of keys; so does this one.
            var data = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in root.EnumerateObject().Where(p => p.Name != "case"))
            {
                data[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }

            return data;
        }

        throw new InvalidOperationException($"no fixture case '{name}' in {path}");
    }
}

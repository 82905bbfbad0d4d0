using System.Text.Json;

namespace FibRpc.Tests.Deployment.Facts;

/// <summary>host.json (the prefetch the trigger uses) and local.settings.sample.json (the app settings of func start).</summary>
internal static class JsonSettingsFacts
{
    public static IEnumerable<Statement> HostJson(string file, string text)
    {
        using var json = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (json.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("rabbitMQ", out var rabbit)
            && rabbit.TryGetProperty("prefetchCount", out var prefetch))
        {
            return [new Statement(FactNames.Prefetch, prefetch.GetRawText(), file, "extensions.rabbitMQ.prefetchCount")];
        }

        return [];
    }

    public static IEnumerable<Statement> LocalSettings(string file, string text)
    {
        using var json = JsonDocument.Parse(text);
        if (!json.RootElement.TryGetProperty("Values", out var values))
        {
            return [];
        }

        return values.EnumerateObject()
            .SelectMany(v => AppSettingFacts.Of(v.Name, v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString() : v.Value.GetRawText(), file, $"Values.{v.Name}"))
            .ToList();
    }
}

using System.Globalization;
using System.Text.Json;

namespace FibRpc.Hosting;

/// <summary>
/// Reads the trigger settings from host.json the way the Functions host does, so that the local trigger host
/// runs with the same prefetch as the function.
/// </summary>
public static class HostJsonSettings
{
    /// <summary>The RabbitMQ extension's default when host.json says nothing.</summary>
    public const ushort DefaultPrefetchCount = 30;

    /// <summary>The app setting that overrides host.json in containers.</summary>
    public const string PrefetchOverrideVariable = "AzureFunctionsJobHost__extensions__rabbitMQ__prefetchCount";

    private static readonly JsonDocumentOptions Lenient = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>extensions.rabbitMQ.prefetchCount of the host.json text (names compared ignoring case).</summary>
    public static ushort ReadPrefetchCount(string hostJson)
    {
        using var document = JsonDocument.Parse(hostJson, Lenient);
        if (document.RootElement.TryGetPropertyIgnoreCase("extensions", out var extensions)
            && extensions.TryGetPropertyIgnoreCase("rabbitMQ", out var rabbit)
            && rabbit.TryGetPropertyIgnoreCase("prefetchCount", out var prefetch))
        {
            return prefetch.ValueKind == JsonValueKind.String
                ? ushort.Parse(prefetch.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
                : prefetch.GetUInt16();
        }

        return DefaultPrefetchCount;
    }

    /// <summary>The prefetch the Functions host would use: the environment override, else host.json, else 30.</summary>
    public static ushort ResolvePrefetchCount(string? hostJsonPath, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var overridden = environment(PrefetchOverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return ushort.Parse(overridden, NumberStyles.Integer, CultureInfo.InvariantCulture);
        }

        return hostJsonPath is not null && File.Exists(hostJsonPath)
            ? ReadPrefetchCount(File.ReadAllText(hostJsonPath))
            : DefaultPrefetchCount;
    }

    /// <summary>host.json in the working directory, else the one copied beside the program, else none.</summary>
    public static string? Locate()
    {
        foreach (var folder in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            var candidate = Path.Combine(folder, "host.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

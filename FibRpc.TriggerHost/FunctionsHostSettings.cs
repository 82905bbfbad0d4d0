using Microsoft.Extensions.Configuration;

namespace FibRpc.TriggerHost;

/// <summary>
/// The trigger settings as the Functions host sees them: host.json read as configuration, overridden by
/// <c>AzureFunctionsJobHost__</c> environment variables (so <c>AzureFunctionsJobHost__extensions__rabbitMQ__prefetchCount</c>
/// wins over host.json's <c>extensions.rabbitMQ.prefetchCount</c>), keys compared ignoring case. The local trigger host
/// reads them the same way, so that it runs with the prefetch the function would get.
/// </summary>
public static class FunctionsHostSettings
{
    /// <summary>Prefix of the environment variables that override host.json.</summary>
    public const string EnvironmentPrefix = "AzureFunctionsJobHost__";

    /// <summary>The configuration key of the RabbitMQ extension's prefetch.</summary>
    public const string PrefetchCountKey = "extensions:rabbitMQ:prefetchCount";

    /// <summary>The RabbitMQ extension's default when nothing sets the prefetch.</summary>
    public const ushort DefaultPrefetchCount = 30;

    /// <summary>The environment variable that overrides the prefetch in containers.</summary>
    public const string PrefetchOverrideVariable = EnvironmentPrefix + "extensions__rabbitMQ__prefetchCount";

    /// <summary>host.json at <paramref name="hostJsonPath"/> (when it exists), then the environment's overrides.</summary>
    public static IConfigurationRoot Load(string? hostJsonPath) =>
        AddHostJson(new ConfigurationBuilder(), hostJsonPath).AddEnvironmentVariables(EnvironmentPrefix).Build();

    /// <summary>Adds host.json as a configuration source; the JSON provider tolerates comments and trailing commas as the host does.</summary>
    public static IConfigurationBuilder AddHostJson(IConfigurationBuilder builder, string? hostJsonPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return hostJsonPath is null ? builder : builder.AddJsonFile(Path.GetFullPath(hostJsonPath), optional: true, reloadOnChange: false);
    }

    /// <summary>The prefetch the Functions host would use with this configuration.</summary>
    /// <exception cref="InvalidOperationException">The setting is there but not a number from 0 to 65535.</exception>
    public static ushort PrefetchCount(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[PrefetchCountKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultPrefetchCount;
        }

        return ushort.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var prefetch)
            ? prefetch
            : throw new InvalidOperationException($"{PrefetchCountKey} is '{text}': it must be a whole number from 0 to 65535");
    }

    /// <summary>host.json in the working directory, else the one copied beside the program, else none.</summary>
    public static string? Locate() =>
        new[] { Environment.CurrentDirectory, AppContext.BaseDirectory }
            .Select(folder => Path.Combine(folder, "host.json"))
            .FirstOrDefault(File.Exists);
}

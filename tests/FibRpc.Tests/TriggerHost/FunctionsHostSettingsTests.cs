using FibRpc.TriggerHost;
using Microsoft.Extensions.Configuration;

namespace FibRpc.Tests.TriggerHost;

public sealed class FunctionsHostSettingsTests
{
    /// <summary>host.json text read through the same configuration sources as <see cref="FunctionsHostSettings.Load"/>.</summary>
    private static ushort PrefetchOf(string hostJson, IDictionary<string, string?>? environment = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"host-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, hostJson);
        try
        {
            var builder = FunctionsHostSettings.AddHostJson(new ConfigurationBuilder(), path);
            if (environment is not null)
            {
                // Stands for the process environment: the variables' names with the prefix stripped, as the
                // environment-variable source does.
                builder.AddInMemoryCollection(environment
                    .Where(variable => variable.Key.StartsWith(FunctionsHostSettings.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                    .Select(variable => KeyValuePair.Create(variable.Key[FunctionsHostSettings.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), variable.Value)));
            }

            return FunctionsHostSettings.PrefetchCount(builder.Build());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Prefetch_is_read_from_extensions_rabbitMQ_ignoring_case()
    {
        Assert.Equal(1, PrefetchOf("""{"version":"2.0","extensions":{"rabbitMQ":{"prefetchCount":1}}}"""));
        Assert.Equal(7, PrefetchOf("""{"Extensions":{"RabbitMQ":{"PrefetchCount":"7"}}}"""));
    }

    [Fact]
    public void Absent_setting_means_the_extension_default_of_30()
    {
        Assert.Equal(30, PrefetchOf("""{"version":"2.0"}"""));
        Assert.Equal(30, PrefetchOf("""{"version":"2.0","extensions":{"serviceBus":{}}}"""));
        Assert.Equal(30, FunctionsHostSettings.PrefetchCount(FunctionsHostSettings.AddHostJson(new ConfigurationBuilder(), "/nonexistent/host.json").Build()));
    }

    [Fact]
    public void Comments_and_trailing_commas_are_tolerated_like_the_host_does()
    {
        Assert.Equal(2, PrefetchOf("""
            {
              // the host reads host.json leniently
              "extensions": { "rabbitMQ": { "prefetchCount": 2, }, },
            }
            """));
    }

    [Fact]
    public void Environment_override_wins_over_host_json()
    {
        const string hostJson = """{"extensions":{"rabbitMQ":{"prefetchCount":1}}}""";
        Assert.Equal(4, PrefetchOf(hostJson, new Dictionary<string, string?> { [FunctionsHostSettings.PrefetchOverrideVariable] = "4" }));
        Assert.Equal(1, PrefetchOf(hostJson, new Dictionary<string, string?> { ["Unrelated__prefetchCount"] = "9" }));
    }

    [Fact]
    public void The_override_variable_maps_onto_the_host_json_key()
    {
        // The environment-variable source turns the prefix-stripped name's "__" into ":", the configuration separator.
        var key = FunctionsHostSettings.PrefetchOverrideVariable[FunctionsHostSettings.EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
        Assert.Equal(FunctionsHostSettings.PrefetchCountKey, key, ignoreCase: true);
    }

    [Fact]
    public void A_prefetch_that_is_not_a_number_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PrefetchOf("""{"extensions":{"rabbitMQ":{"prefetchCount":"many"}}}"""));
        Assert.Contains("prefetchCount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_repository_host_json_sets_prefetch_1()
    {
        var configuration = FunctionsHostSettings.AddHostJson(new ConfigurationBuilder(), Deployment.RepoFiles.PathOf("host.json")).Build();
        Assert.Equal(1, FunctionsHostSettings.PrefetchCount(configuration));
    }
}

using FibRpc.TriggerHost;
using Microsoft.Extensions.Configuration;

namespace FibRpc.Tests.TriggerHost;

/// <summary>
/// host.json read as the Functions host reads it. The AzureFunctionsJobHost__ override, set in the real environment,
/// is in ServeSettingsTests.
/// </summary>
public sealed class FunctionsHostSettingsTests
{
    private static ushort PrefetchOf(string hostJson)
    {
        var path = Path.Combine(Path.GetTempPath(), $"host-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, hostJson);
        try
        {
            return FunctionsHostSettings.PrefetchCount(FunctionsHostSettings.AddHostJson(new ConfigurationBuilder(), path).Build());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"version":"2.0","extensions":{"rabbitMQ":{"prefetchCount":1}}}""", 1)]
    [InlineData("""{"Extensions":{"RabbitMQ":{"PrefetchCount":"7"}}}""", 7)]
    [InlineData("{\n  // the host reads host.json leniently\n  \"extensions\": { \"rabbitMQ\": { \"prefetchCount\": 2, }, },\n}", 2)]
    [InlineData("""{"version":"2.0"}""", 30)]
    [InlineData("""{"version":"2.0","extensions":{"serviceBus":{}}}""", 30)]
    public void Prefetch_is_read_from_extensions_rabbitMQ_ignoring_case_and_comments_and_defaults_to_30(string hostJson, int expected)
    {
        Assert.Equal(expected, PrefetchOf(hostJson));
    }

    [Fact]
    public void Without_host_json_the_prefetch_is_the_extension_default_of_30()
    {
        Assert.Equal(30, FunctionsHostSettings.PrefetchCount(FunctionsHostSettings.AddHostJson(new ConfigurationBuilder(), "/nonexistent/host.json").Build()));
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
        // Without it the Functions host falls back to prefetch 30: one instance would hoard 30 requests.
        var configuration = FunctionsHostSettings.AddHostJson(new ConfigurationBuilder(), Deployment.RepoFiles.PathOf("host.json")).Build();
        Assert.Equal(1, FunctionsHostSettings.PrefetchCount(configuration));
    }
}

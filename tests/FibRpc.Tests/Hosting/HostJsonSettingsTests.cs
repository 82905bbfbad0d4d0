using FibRpc.Hosting;

namespace FibRpc.Tests.Hosting;

public sealed class HostJsonSettingsTests
{
    [Fact]
    public void Prefetch_is_read_from_extensions_rabbitMQ()
    {
        Assert.Equal(1, HostJsonSettings.ReadPrefetchCount("""{"version":"2.0","extensions":{"rabbitMQ":{"prefetchCount":1}}}"""));
        Assert.Equal(7, HostJsonSettings.ReadPrefetchCount("""{"Extensions":{"RabbitMQ":{"PrefetchCount":"7"}}}"""));
    }

    [Fact]
    public void Absent_setting_means_the_extension_default_of_30()
    {
        Assert.Equal(30, HostJsonSettings.ReadPrefetchCount("""{"version":"2.0"}"""));
        Assert.Equal(30, HostJsonSettings.ReadPrefetchCount("""{"version":"2.0","extensions":{"serviceBus":{}}}"""));
    }

    [Fact]
    public void Comments_and_trailing_commas_are_tolerated_like_the_host_does()
    {
        Assert.Equal(2, HostJsonSettings.ReadPrefetchCount("""
            {
              // the host reads host.json leniently
              "extensions": { "rabbitMQ": { "prefetchCount": 2, }, },
            }
            """));
    }

    [Fact]
    public void Environment_override_wins_over_host_json()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"extensions":{"rabbitMQ":{"prefetchCount":1}}}""");
            Assert.Equal(1, HostJsonSettings.ResolvePrefetchCount(path, _ => null));
            Assert.Equal(4, HostJsonSettings.ResolvePrefetchCount(path, name => name == HostJsonSettings.PrefetchOverrideVariable ? "4" : null));
            Assert.Equal(30, HostJsonSettings.ResolvePrefetchCount(path + ".missing", _ => null));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_repository_host_json_sets_prefetch_1()
    {
        Assert.Equal(1, HostJsonSettings.ReadPrefetchCount(Deployment.RepoFiles.Read("host.json")));
    }
}

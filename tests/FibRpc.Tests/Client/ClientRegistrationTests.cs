using FibRpc.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FibRpc.Tests.Client;

/// <summary>AddFibRpcClient binds the FibRpcClient section, applies the delegate after it, and refuses bad settings at start-up in the words of the settings.</summary>
public sealed class ClientRegistrationTests
{
    private static FibRpcClientOptions Bound(Dictionary<string, string?> settings, Action<FibRpcClientOptions>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddFibRpcClient(configuration, configure).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FibRpcClientOptions>>().Value;
    }

    [Fact]
    public void Every_setting_is_bound_from_the_FibRpcClient_section()
    {
        var options = Bound(new()
        {
            ["FibRpcClient:Connection"] = "amqps://app:secret@broker.example:5671/billing",
            ["FibRpcClient:CaFile"] = "/etc/ssl/broker-ca.pem",
            ["FibRpcClient:RequestQueue"] = "fib_requests",
            ["FibRpcClient:ReplyQueue"] = "ExclusiveQueue",
            ["FibRpcClient:Timeout"] = "00:00:05",
            ["FibRpcClient:ResendOnConnectionLoss"] = "true",
            ["FibRpcClient:PublishAttempts"] = "2",
            ["FibRpcClient:ClientName"] = "billing-api",
        });

        Assert.Equal("amqps://app:secret@broker.example:5671/billing", options.Connection);
        Assert.Equal("/etc/ssl/broker-ca.pem", options.CaFile);
        Assert.Equal("fib_requests", options.RequestQueue);
        Assert.Equal(ReplyQueueMode.ExclusiveQueue, options.ReplyQueue);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.True(options.ResendOnConnectionLoss);
        Assert.Equal(2, options.PublishAttempts);
        Assert.Equal("billing-api", options.ClientName);
    }

    [Fact]
    public void The_delegate_runs_after_the_configuration_and_unset_settings_keep_their_defaults()
    {
        var options = Bound(new() { ["FibRpcClient:Timeout"] = "00:00:05", ["FibRpcClient:RequestQueue"] = "from_configuration" },
            configure: options => options.RequestQueue = "from_code");

        Assert.Equal("from_code", options.RequestQueue);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(new FibRpcClientOptions().Connection, options.Connection);
    }

    [Theory]
    [InlineData("Connection", "http://app:hunter2@broker.example/", "FibRpcClient__Connection: the broker URI 'http://app:***@broker.example/' is not an amqp:// or amqps:// URI; write it as amqp://user:password@host:5672/vhost (amqps:// for TLS)")]
    [InlineData("Connection", " ", "FibRpcClient__Connection must name the broker, e.g. amqp://user:password@host:5672/vhost")]
    [InlineData("Timeout", "00:00:00", "FibRpcClient__Timeout must be more than zero and at most 86400 s (a day), written as hours:minutes:seconds, e.g. 00:00:30")]
    [InlineData("Timeout", "2.00:00:00", "FibRpcClient__Timeout must be more than zero and at most 86400 s (a day), written as hours:minutes:seconds, e.g. 00:00:30")]
    [InlineData("PublishAttempts", "0", "FibRpcClient__PublishAttempts must be between 1 and 100")]
    [InlineData("RequestQueue", "", "FibRpcClient__RequestQueue must name a queue")]
    public void A_bad_setting_is_refused_naming_the_environment_variable(string setting, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bound(new() { [$"FibRpcClient:{setting}"] = value }));

        Assert.Equal(message, Assert.Single(error.Failures));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_host_at_start_up_before_anything_connects()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["FibRpcClient:PublishAttempts"] = "0" });
        builder.Services.AddFibRpcClient(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("FibRpcClient__PublishAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_that_cannot_be_reached_stops_the_host_at_start_up()
    {
        // Nothing listens on port 1 of loopback: the connection is refused at once.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddFibRpcClient(options => options.Connection = "amqp://guest:guest@127.0.0.1:1/");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<FibRpcConnectFailedException>(() => host.StartAsync());

        Assert.IsType<RabbitMQ.Client.Exceptions.BrokerUnreachableException>(error.InnerException);
        Assert.StartsWith("could not connect to the broker at amqp://guest:***@127.0.0.1:1/", error.Message, StringComparison.Ordinal);
    }
}

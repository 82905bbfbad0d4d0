using FibRpc.Client;
using FibRpc.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FibRpc.IntegrationTests;

/// <summary>AddFibRpcClient in a host, as an application uses it: connected by the host's start, closed by its disposal.</summary>
public sealed class ClientRegistrationTests(Broker broker) : BrokerTest(broker, "client-registration")
{
    [InProcessFact]
    public async Task A_registered_client_is_connected_when_the_host_has_started_and_closed_with_it()
    {
        await using var service = await ServiceUnderTest.StartAsync(Queue);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FibRpcClient:Connection"] = Broker.Uri,
            ["FibRpcClient:RequestQueue"] = Queue,
            ["FibRpcClient:Timeout"] = "00:00:20",
        });
        builder.Services.AddFibRpcClient(builder.Configuration);
        FibRpcClient client;
        using (var host = builder.Build())
        {
            await host.StartAsync();
            client = host.Services.GetRequiredService<FibRpcClient>();

            Assert.True(client.IsConnected, "the host's start connected the client");
            Assert.Equal(Reference.Fibonacci(90), await client.CallAsync(90));
            Assert.Same(client, host.Services.GetRequiredService<FibRpcClient>());
            await host.StopAsync();
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.CallAsync(1));
    }
}

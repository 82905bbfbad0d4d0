using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Topology;

namespace FibRpc.IntegrationTests;

/// <summary>fibrpc topology on the real broker: clear about conflicts, and required by serve.</summary>
public sealed class TopologyTests(Broker broker) : IClassFixture<Broker>
{
    [InProcessFact]
    public async Task A_queue_with_other_settings_is_a_clear_conflict()
    {
        var queue = Broker.NewQueueName("conflict");
        await using (var channel = await broker.Connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        }

        try
        {
            var conflict = await Assert.ThrowsAsync<TopologyConflictException>(() => RpcTopology.DeclareAsync(broker.Connection, queue));
            Assert.Contains($"queue '{queue}'", conflict.Message, StringComparison.Ordinal);
        }
        finally
        {
            await broker.DeleteTopologyAsync(queue);
        }
    }

    [InProcessFact]
    public async Task Serve_refuses_to_start_without_the_queue_and_says_how_to_fix_it()
    {
        var missing = Broker.NewQueueName("missing");
        using var serve = new ChildProcess("dotnet", [FibRpcCli.Dll, "serve", "--queue", missing, "--connection", Broker.Uri]);
        Assert.Equal(1, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("fibrpc topology", serve.Output, StringComparison.Ordinal);
    }
}

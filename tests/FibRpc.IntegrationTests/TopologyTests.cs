using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Topology;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests;

/// <summary>fibrpc topology on the real broker: idempotent, clear about conflicts, and required by serve.</summary>
public sealed class TopologyTests(Broker broker) : BrokerTest(broker, "topology")
{
    [InProcessFact]
    public async Task Declaring_twice_is_harmless_and_dead_letters_reach_the_dead_letter_queue()
    {
        // BrokerTest declared it once already.
        await RpcTopology.DeclareAsync(Broker.Connection, Queue);
        await using var channel = await Broker.Connection.CreateChannelAsync();
        await channel.BasicPublishAsync(string.Empty, Queue, "7"u8.ToArray());
        await Eventually.TrueAsync(async () => await Broker.ReadyCountAsync(Queue) == 1, "the message is queued");
        var delivery = await channel.BasicGetAsync(Queue, autoAck: false);
        Assert.NotNull(delivery);
        await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false);
        await Eventually.TrueAsync(async () => await Broker.ReadyCountAsync(RpcNames.DeadLetterQueueFor(Queue)) == 1, "the rejected message is dead-lettered");
    }

    [InProcessFact]
    public async Task A_queue_with_other_settings_is_a_clear_conflict()
    {
        var queue = Broker.NewQueueName("conflict");
        await using (var channel = await Broker.Connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        }

        try
        {
            var conflict = await Assert.ThrowsAsync<TopologyConflictException>(() => RpcTopology.DeclareAsync(Broker.Connection, queue));
            Assert.Contains($"queue '{queue}'", conflict.Message, StringComparison.Ordinal);
        }
        finally
        {
            await Broker.DeleteTopologyAsync(queue);
        }
    }

    [InProcessFact]
    public async Task Serve_refuses_to_start_without_the_queue_and_says_how_to_fix_it()
    {
        var missing = Broker.NewQueueName("missing");
        using var serve = new ChildProcess("dotnet", [Path.Combine(AppContext.BaseDirectory, "FibRpc.Cli.dll"), "serve", "--queue", missing, "--connection", Broker.Uri]);
        Assert.Equal(1, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("fibrpc topology", serve.Output, StringComparison.Ordinal);
    }
}

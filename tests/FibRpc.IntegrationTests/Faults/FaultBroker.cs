using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests.Faults;

/// <summary>
/// The fault suite's own RabbitMQ node (own name, ports and data folder), which the client's recovery tests share:
/// the faults stop, restart and alarm it, so they never touch the broker that scripts/run.sh or the other tests use.
/// </summary>
public sealed class FaultBroker : NodeFixture
{
    protected override Task<BrokerNode> StartAsync() => BrokerNode.StartAsync("fibrpc-faults");

    /// <summary>Consumers attached to a queue right now (0 while the broker is down).</summary>
    public async Task<uint> ConsumerCountAsync(string queue)
    {
        try
        {
            await using var connection = await RabbitConnection.CreateFactory(Uri, "fault-probe").CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException or IOException)
        {
            return 0;
        }
    }

    /// <summary>Takes every message off a queue and returns their correlation ids.</summary>
    public async Task<List<string>> DrainAsync(string queue)
    {
        var ids = new List<string>();
        await using var connection = await RabbitConnection.CreateFactory(Uri, "fault-drain").CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        for (BasicGetResult? message; (message = await channel.BasicGetAsync(queue, autoAck: true)) is not null;)
        {
            ids.Add(message.BasicProperties.CorrelationId ?? "");
        }

        return ids;
    }
}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultBroker>
{
    public const string Name = "faults";
}

using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using FibRpc.Topology;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests.Faults;

/// <summary>
/// The fault suite's own RabbitMQ node (own name, ports and data folder): the faults stop, restart and alarm it,
/// so they never touch the broker that scripts/run.sh or the other tests use.
/// </summary>
public sealed class FaultBroker : IAsyncLifetime
{
    private BrokerNode? _node;

    public BrokerNode Node => _node ?? throw new InvalidOperationException("the fault broker is not started");

    public string Uri => Node.Uri.ToString();

    public async Task InitializeAsync() => _node = await BrokerNode.StartAsync("fibrpc-faults");

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    /// <summary>A request queue with its dead-letter exchange and queue, as fibrpc topology declares them.</summary>
    public async Task<string> DeclareTopologyAsync(string purpose)
    {
        var queue = Broker.NewQueueName(purpose);
        await using var connection = await RabbitConnection.CreateFactory(Uri, "fault-topology").CreateConnectionAsync();
        await RpcTopology.DeclareAsync(connection, queue);
        return queue;
    }

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

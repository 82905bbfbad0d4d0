using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using FibRpc.Topology;

namespace FibRpc.IntegrationTests.Recovery;

/// <summary>
/// The broker node the client's fault tests restart and cut connections on: their own (never the development
/// broker), on AMQP port 5710 and distribution port 25710, shared by the tests of one class to pay its boot once.
/// </summary>
public sealed class ClientFaultNode : IAsyncLifetime
{
    private BrokerNode? _node;

    public BrokerNode Node => _node ?? throw new InvalidOperationException("the node is not started");

    public string Uri => Node.Uri.ToString();

    public async Task InitializeAsync() => _node = await BrokerNode.StartAsync("fibrpc-client-faults", 5710, 25710);

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    /// <summary>A request queue with its dead-letter exchange and queue, as fibrpc topology declares them, on this node.</summary>
    public async Task<string> DeclareTopologyAsync(string purpose)
    {
        var queue = Broker.NewQueueName(purpose);
        await using var connection = await RabbitConnection.CreateFactory(Uri, "fibrpc-tests-admin").CreateConnectionAsync();
        await RpcTopology.DeclareAsync(connection, queue);
        return queue;
    }

    /// <summary>A server of the classic RPC pattern consuming <paramref name="queue"/> on this node.</summary>
    public Task<TestResponder> StartResponderAsync(string queue) => TestResponder.StartAsync(Uri, queue);
}

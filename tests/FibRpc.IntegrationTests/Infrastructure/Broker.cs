using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Topology;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>
/// The real RabbitMQ broker the integration tests talk to (FIBRPC_TEST_BROKER, else the local default). When none
/// answers, every test fails with a message saying how to start one: they never skip.
/// </summary>
public sealed class Broker : IAsyncLifetime
{
    public static string Uri { get; } = BrokerUri.Resolve(Environment.GetEnvironmentVariable("FIBRPC_TEST_BROKER"));

    /// <summary>The virtual host of <see cref="Uri"/>, as rabbitmqctl's <c>-p</c> takes it ("/" when the URI names none).</summary>
    public static string VirtualHost { get; } = new System.Uri(Uri).AbsolutePath is { Length: > 1 } path ? System.Uri.UnescapeDataString(path[1..]) : "/";

    private IConnection? _connection;

    public IConnection Connection => _connection ?? throw new InvalidOperationException("the broker fixture is not initialised");

    public async Task InitializeAsync()
    {
        try
        {
            _connection = await RabbitConnection.CreateFactory(Uri, "fibrpc-tests").CreateConnectionAsync();
        }
        catch (BrokerUnreachableException e)
        {
            throw new InvalidOperationException(
                $"No RabbitMQ broker answers at {Uri}. Start one with 'scripts/broker.sh start' (or run every test with 'scripts/test.sh', which starts it).", e);
        }
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.CloseAsync();
            _connection.Dispose();
        }
    }

    /// <summary>A queue name of this test run only, so that tests never see each other's messages.</summary>
    public static string NewQueueName(string purpose) => $"test.{purpose}.{Guid.NewGuid():N}";

    /// <summary>Declares a request queue with its dead-letter exchange and queue, as fibrpc topology does.</summary>
    public async Task<string> DeclareTopologyAsync(string purpose)
    {
        var queue = NewQueueName(purpose);
        await RpcTopology.DeclareAsync(Connection, queue);
        return queue;
    }

    public async Task DeleteTopologyAsync(string queue)
    {
        await using var channel = await Connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        await channel.QueueDeleteAsync(RpcNames.DeadLetterQueueFor(queue), ifUnused: false, ifEmpty: false);
        await channel.ExchangeDeleteAsync(RpcNames.DeadLetterExchangeFor(queue), ifUnused: false);
    }

    /// <summary>Messages ready in a queue (not counting unacked ones).</summary>
    public async Task<uint> ReadyCountAsync(string queue)
    {
        await using var channel = await Connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    public async Task<uint> ConsumerCountAsync(string queue)
    {
        await using var channel = await Connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
    }

    /// <summary>Takes one message off a queue (acked), or null when it is empty.</summary>
    public async Task<BasicGetResult?> GetAsync(string queue)
    {
        await using var channel = await Connection.CreateChannelAsync();
        return await channel.BasicGetAsync(queue, autoAck: true);
    }
}

/// <summary>
/// Tests that run fibrpc bench against the shared broker's virtual host: one of them cuts the connection named
/// fibrpc-bench and expects to find exactly one, so they never run at the same time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BenchClientCollection : ICollectionFixture<Broker>
{
    public const string Name = "bench-clients";
}

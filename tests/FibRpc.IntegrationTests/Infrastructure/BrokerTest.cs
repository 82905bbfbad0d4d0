using RabbitMQ.Client;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>
/// A test class against the real broker: each test gets its own request queue with its dead-letter exchange and
/// queue (as fibrpc topology declares them), deleted afterwards, so that tests never see each other's messages.
/// Nothing else of the virtual host is shared, so each such class is a test collection of its own and runs beside
/// the others (a class that needs to run apart from another names a collection).
/// </summary>
public abstract class BrokerTest(Broker broker, string purpose) : IAsyncLifetime, IClassFixture<Broker>
{
    protected Broker Broker { get; } = broker;

    /// <summary>This test's request queue.</summary>
    protected string Queue { get; private set; } = "";

    public async Task InitializeAsync() => Queue = await Broker.DeclareTopologyAsync(purpose);

    public Task DisposeAsync() => Broker.DeleteTopologyAsync(Queue);

    /// <summary>A plain queue for replies, deleted with the broker connection's help when the test is done.</summary>
    protected async Task<string> DeclareReplyQueueAsync()
    {
        var replies = Broker.NewQueueName("replies");
        await using var channel = await Broker.Connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(replies, durable: false, exclusive: false, autoDelete: false);
        return replies;
    }
}

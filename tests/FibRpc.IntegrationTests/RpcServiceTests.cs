using System.Text;
using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Service;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests;

/// <summary>The service through the local trigger host, called by the client library, on the real Broker.</summary>
public sealed class RpcServiceTests(Broker broker) : BrokerTest(broker, "rpc")
{
    private Task<FibRpcClient> ClientAsync() =>
        FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = Queue, Timeout = TimeSpan.FromSeconds(30) });

    [InProcessFact]
    public async Task The_largest_default_request_travels_whole()
    {
        // F(MaxN), 208,988 digits by default, in one reply. The engine is checked digit for digit against GMP in the
        // unit tests.
        var largest = new FibRpcOptions().MaxN;
        await using var service = await ServiceUnderTest.StartAsync(Queue);
        await using var client = await ClientAsync();
        var reply = await client.CallRawAsync(Encoding.ASCII.GetBytes(largest.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(reply.Span.SequenceEqual(new FibRpc.Engine.FibonacciEngine().ComputeDecimal(largest).Span), $"F({largest}) arrives intact");
    }

    [InProcessFact]
    public async Task Reply_to_a_vanishedQueue_neither_wedges_nor_loops()
    {
        await using var service = await ServiceUnderTest.StartAsync(Queue);
        var gone = Broker.NewQueueName("gone");
        await using (var channel = await Broker.Connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(gone, durable: false, exclusive: false, autoDelete: false);
            await channel.QueueDeleteAsync(gone);
            var properties = new RabbitMQ.Client.BasicProperties { ReplyTo = gone, CorrelationId = "to-the-void" };
            await channel.BasicPublishAsync(string.Empty, Queue, mandatory: true, properties, "12"u8.ToArray());
        }

        await Eventually.TrueAsync(() => Task.FromResult(service.Host.Handled >= 1), "the orphaned request is handled");
        Assert.True(service.Logs.Contains("to-the-void"), "the unroutable reply is logged with its correlation id");

        // Not wedged: a live client is answered next. Not looping: nothing was requeued or dead-lettered.
        await using var client = await ClientAsync();
        Assert.Equal("144", await client.CallAsync(12));
        await Task.Delay(300);
        Assert.Equal(2, service.Host.Handled);
        Assert.Equal(0u, await Broker.ReadyCountAsync(Queue));
        Assert.Equal(0u, await Broker.ReadyCountAsync(RpcNames.DeadLetterQueueFor(Queue)));
    }

    [InProcessFact]
    public async Task Client_call_to_a_missingQueue_fails_at_once()
    {
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = Broker.NewQueueName("missing") });
        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<FibRpcUnroutableException>(() => client.CallAsync(5));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [InProcessFact]
    public async Task Client_call_can_be_cancelled()
    {
        await using var client = await ClientAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CallAsync(5, cancellationToken: cancel.Token));
    }
}

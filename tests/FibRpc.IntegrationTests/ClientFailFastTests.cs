using System.Diagnostics;
using System.Globalization;
using System.Text;
using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests;

/// <summary>
/// The client against the development broker, without faults of the broker itself: requests expire with their
/// caller's timeout, and nacks (provoked with a full queue that refuses publishes) are retried on fresh channels
/// and then reported as overload.
/// </summary>
public sealed class ClientFailFastTests(Broker broker) : BrokerTest(broker, "client")
{
    [InProcessFact]
    public async Task A_request_that_outlives_its_timeout_is_dead_lettered_as_expired()
    {
        var timeout = TimeSpan.FromMilliseconds(400);
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = Queue, Timeout = timeout });

        // No service: the call times out, and the broker must not keep its request for a service that starts later.
        var timedOut = await Assert.ThrowsAsync<FibRpcTimeoutException>(() => client.CallAsync(7));
        Assert.True(timedOut.RequestConfirmed, "the broker took the request; only the reply was missing");
        var deadLetters = RpcNames.DeadLetterQueueFor(Queue);
        await Eventually.TrueAsync(async () => await Broker.ReadyCountAsync(deadLetters) == 1, "the request is dead-lettered", TimeSpan.FromSeconds(5));
        Assert.Equal(0u, await Broker.ReadyCountAsync(Queue));

        var dead = await Broker.GetAsync(deadLetters);
        Assert.NotNull(dead);
        Assert.Equal("7", Encoding.ASCII.GetString(dead.Body.Span));
        var death = Assert.IsType<Dictionary<string, object?>>(Assert.Single(Assert.IsType<List<object>>(dead.BasicProperties.Headers!["x-death"])));
        Assert.Equal("expired", Encoding.UTF8.GetString((byte[])death["reason"]!));
        Assert.Equal(Queue, Encoding.UTF8.GetString((byte[])death["queue"]!));

        // The expiration was the caller's remaining timeout when it was sent: at most the timeout, and most of it.
        var expiration = int.Parse(Encoding.ASCII.GetString((byte[])death["original-expiration"]!), CultureInfo.InvariantCulture);
        Assert.InRange(expiration, 200, (int)timeout.TotalMilliseconds);

        // A call's own timeout, shorter than the client's, ends it the same way.
        await using var patient = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = Queue, Timeout = TimeSpan.FromSeconds(30) });
        await Assert.ThrowsAsync<FibRpcTimeoutException>(() => patient.CallAsync(8, timeout));
        await Eventually.TrueAsync(async () => await Broker.ReadyCountAsync(deadLetters) == 1, "the second request is dead-lettered", TimeSpan.FromSeconds(5));
        Assert.Equal(0u, await Broker.ReadyCountAsync(Queue));
    }

    [InProcessFact]
    public async Task A_nacked_request_is_sent_again_on_a_fresh_channel_and_answered()
    {
        // A queue of one message that refuses publishes while full: the test fills it, so the client's first publish
        // is nacked; once the client has moved to a fresh channel, the test makes room and answers the request.
        var queue = Broker.NewQueueName("full");
        await using var admin = await Broker.Connection.CreateChannelAsync();
        await admin.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false, RefusingWhenFull(1));
        try
        {
            await admin.BasicPublishAsync(string.Empty, queue, mandatory: false, new BasicProperties(), "filler"u8.ToArray());
            await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions
            {
                Connection = Broker.Uri, RequestQueue = queue, Timeout = TimeSpan.FromSeconds(20), PublishAttempts = 8,
            });
            var firstReplyTo = client.ReplyTo;
            var call = client.CallAsync(10);

            await Eventually.TrueAsync(() => Task.FromResult(client.NackedPublishes >= 1), "the broker nacks the first publish", TimeSpan.FromSeconds(10));
            Assert.Equal("filler", Encoding.ASCII.GetString((await admin.BasicGetAsync(queue, autoAck: true))!.Body.Span));

            // Act as the service: the retried request arrives, and its answer completes the call.
            BasicGetResult? request = null;
            await Eventually.TrueAsync(async () => (request = await admin.BasicGetAsync(queue, autoAck: true)) is not null, "the retried request is queued", TimeSpan.FromSeconds(10));
            await admin.BasicPublishAsync(string.Empty, request!.BasicProperties.ReplyTo!, mandatory: false,
                new BasicProperties { CorrelationId = request.BasicProperties.CorrelationId }, "55"u8.ToArray());

            Assert.Equal("55", await call.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(client.NackedPublishes >= 1);
            Assert.True(client.ReplyPathsOpened >= 2, "each nack retires the channel it happened on");
            Assert.Equal(RpcNames.DirectReplyTo, firstReplyTo);
        }
        finally
        {
            await admin.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }

    [InProcessTheory]
    [InlineData(ReplyQueueMode.DirectReplyTo)]
    [InlineData(ReplyQueueMode.ExclusiveQueue)]
    public async Task A_queue_that_refuses_every_request_is_reported_as_overloaded_after_fresh_channels(ReplyQueueMode mode)
    {
        var queue = Broker.NewQueueName("refusing");
        await using var admin = await Broker.Connection.CreateChannelAsync();
        await admin.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false, RefusingWhenFull(0));
        try
        {
            await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions
            {
                Connection = Broker.Uri, RequestQueue = queue, ReplyQueue = mode, Timeout = TimeSpan.FromSeconds(20), PublishAttempts = 3,
            });
            var firstReplyTo = client.ReplyTo;
            var stopwatch = Stopwatch.StartNew();
            var refused = await Assert.ThrowsAsync<FibRpcOverloadedException>(() => client.CallAsync(10));

            // Fails fast (backoffs of 50 + 100 ms, not the 20 s timeout), after one publish on each of three channels.
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
            Assert.Equal(3, refused.Attempts);
            Assert.Equal(queue, refused.Queue);
            Assert.Contains("full", refused.Message, StringComparison.Ordinal);
            Assert.Equal(3, client.NackedPublishes);
            Assert.Equal(3, client.ReplyPathsOpened);

            if (mode == ReplyQueueMode.ExclusiveQueue)
            {
                // The retired paths' reply queues go with their channels: nothing stale is left on the broker.
                await Eventually.TrueAsync(async () => !await QueueExistsAsync(firstReplyTo!), $"the first reply queue {firstReplyTo} is deleted", TimeSpan.FromSeconds(5));
            }

            // Allowed no retry, a client reports the plain nack: it cannot tell a full queue from a broken channel.
            await using var impatient = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = queue, ReplyQueue = mode, PublishAttempts = 1 });
            var nacked = await Assert.ThrowsAsync<FibRpcNackedException>(() => impatient.CallAsync(10));
            Assert.Equal(1, nacked.Attempts);
        }
        finally
        {
            await admin.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }

    private async Task<bool> QueueExistsAsync(string queue)
    {
        await using var channel = await Broker.Connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return false;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.ResourceLocked)
        {
            // Exclusive to the client's connection, and still there.
            return true;
        }
    }

    private static Dictionary<string, object?> RefusingWhenFull(int length) => new()
    {
        ["x-max-length"] = length,
        ["x-overflow"] = "reject-publish",
    };
}

using System.Text;
using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using FibRpc.Topology;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.IntegrationTests.Permissions;

/// <summary>
/// The users of deploy/rabbitmq/definitions.json (the patterns of <see cref="BrokerRoles"/>) on a real broker: each
/// can do its job, and the broker refuses (403 ACCESS_REFUSED) what it must not do.
/// </summary>
[Collection(PermissionsCollection.Name)]
public sealed class LeastPrivilegeTests(DefinitionsBroker broker)
{
    private static readonly string Function = BrokerRoles.Function().User;
    private static readonly string Scaler = BrokerRoles.Scaler.User;
    private static readonly string Caller = BrokerRoles.Caller.User;
    private static readonly string Topology = BrokerRoles.Topology().User;

    [InProcessFact]
    public async Task Each_user_does_its_job_the_deployment_end_to_end()
    {
        // The deployment's init container declares the topology (again: the definitions already did; that is a no-op).
        await using (var topology = await ConnectAsync(Topology))
        {
            await RpcTopology.DeclareAsync(topology);
        }

        // Requests wait in the queue before any consumer runs; KEDA sees them by a passive declare, as its AMQP mode does.
        await using var caller = await ConnectAsync(Caller);
        await using var callerChannel = await caller.CreateChannelAsync();
        var replyQueue = (await callerChannel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        for (var i = 0; i < 3; i++)
        {
            await callerChannel.BasicPublishAsync(string.Empty, RpcNames.Queue, mandatory: false,
                new BasicProperties { ReplyTo = replyQueue, CorrelationId = $"waiting-{i}" }, Encoding.ASCII.GetBytes("20"));
        }

        await using (var keda = await ConnectAsync(Scaler))
        await using (var kedaChannel = await keda.CreateChannelAsync())
        {
            uint backlog = 0;
            await Eventually.TrueAsync(async () => (backlog = (await kedaChannel.QueueDeclarePassiveAsync(RpcNames.Queue)).MessageCount) == 3, "KEDA's user counts the 3 waiting requests");
            Assert.Equal(3u, backlog);
        }

        // The function's user consumes them and answers, to a server-named queue and to direct reply-to.
        await using var service = await ServiceUnderTest.StartAsync(RpcNames.Queue, settings: new Dictionary<string, string?> { [RpcNames.ConnectionSetting] = broker.UriOf(Function) });
        await Eventually.TrueAsync(async () => (await callerChannel.QueueDeclarePassiveAsync(replyQueue)).MessageCount == 3, "the 3 waiting requests are answered");

        foreach (var mode in new[] { ReplyQueueMode.DirectReplyTo, ReplyQueueMode.ExclusiveQueue })
        {
            await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = broker.UriOf(Caller), ReplyQueue = mode, Timeout = TimeSpan.FromSeconds(30) });
            Assert.Equal("6765", await client.CallAsync(20));
        }
    }

    [InProcessFact]
    public async Task The_function_cannot_declare_delete_or_reach_other_queues_and_exchanges()
    {
        await using var connection = await ConnectAsync(Function);

        await AssertRefusedAsync(connection, c => c.QueueDeclareAsync(RpcNames.Queue, durable: true, exclusive: false, autoDelete: false, RpcTopology.RequestQueueArguments(RpcNames.Queue)), "declare rpc_queue");
        await AssertRefusedAsync(connection, c => c.QueueDeleteAsync(RpcNames.Queue), "delete rpc_queue");
        await AssertRefusedAsync(connection, c => c.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true), "declare a queue of its own");
        await AssertRefusedAsync(connection, c => c.BasicConsumeAsync(RpcNames.DeadLetterQueue, autoAck: false, new AsyncDefaultBasicConsumerStub(c)), "consume the dead-letter queue");
        await AssertRefusedAsync(connection, c => PublishAsync(c, RpcNames.DeadLetterExchange, "x"), "publish to the dead-letter exchange");
    }

    [InProcessFact]
    public async Task A_caller_cannot_consume_the_request_queue_or_declare_named_queues()
    {
        await using var connection = await ConnectAsync(Caller);

        await AssertRefusedAsync(connection, c => c.BasicConsumeAsync(RpcNames.Queue, autoAck: true, new AsyncDefaultBasicConsumerStub(c)), "consume rpc_queue");
        await AssertRefusedAsync(connection, c => c.BasicGetAsync(RpcNames.Queue, autoAck: true), "get from rpc_queue");
        await AssertRefusedAsync(connection, c => c.QueueDeleteAsync(RpcNames.Queue), "delete rpc_queue");
        await AssertRefusedAsync(connection, c => c.QueuePurgeAsync(RpcNames.Queue), "purge rpc_queue");
        await AssertRefusedAsync(connection, c => c.QueueDeclareAsync("billing-replies", durable: false, exclusive: false, autoDelete: false), "declare a named queue");
        await AssertRefusedAsync(connection, c => PublishAsync(c, RpcNames.DeadLetterExchange, "rpc_queue"), "publish to the dead-letter exchange");
    }

    [InProcessFact]
    public async Task The_scaler_can_only_look()
    {
        await using var connection = await ConnectAsync(Scaler);

        await AssertRefusedAsync(connection, c => c.BasicGetAsync(RpcNames.Queue, autoAck: false), "get from rpc_queue");
        await AssertRefusedAsync(connection, c => PublishAsync(c, string.Empty, RpcNames.Queue), "publish a request");
        await AssertRefusedAsync(connection, c => c.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true), "declare a queue");
        await AssertRefusedAsync(connection, c => c.QueueDeleteAsync(RpcNames.Queue), "delete rpc_queue");
    }

    [InProcessFact]
    public async Task The_topology_user_declares_but_neither_publishes_nor_consumes()
    {
        await using var connection = await ConnectAsync(Topology);

        await AssertRefusedAsync(connection, c => c.BasicGetAsync(RpcNames.Queue, autoAck: true), "get from rpc_queue");
        await AssertRefusedAsync(connection, c => PublishAsync(c, string.Empty, RpcNames.Queue), "publish a request");
        await AssertRefusedAsync(connection, c => c.QueueDeclareAsync("unrelated", durable: true, exclusive: false, autoDelete: false), "declare another queue");
    }

    private async Task<IConnection> ConnectAsync(string user) =>
        await RabbitConnection.CreateFactory(broker.UriOf(user), "perm-" + user).CreateConnectionAsync();

    private static async Task PublishAsync(IChannel channel, string exchange, string routingKey) =>
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, new BasicProperties(), "1"u8.ToArray());

    /// <summary>Runs one action on a fresh confirm channel and requires the broker to close it with 403 ACCESS_REFUSED.</summary>
    private static async Task AssertRefusedAsync(IConnection connection, Func<IChannel, Task> action, string what)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            await action(channel);
        }
        catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or PublishException)
        {
            // The refusal arrives as the channel's close; checked below.
        }

        await Eventually.TrueAsync(() => Task.FromResult(channel.IsClosed), $"the broker refuses to let the user {what}", TimeSpan.FromSeconds(10));
        Assert.True(channel.CloseReason?.ReplyCode == Constants.AccessRefused, $"{what}: expected 403 ACCESS_REFUSED, got {channel.CloseReason?.ReplyCode} {channel.CloseReason?.ReplyText}");
        Assert.True(connection.IsOpen, $"{what}: the refusal closed the connection, not just the channel");
    }

    private sealed class AsyncDefaultBasicConsumerStub(IChannel channel) : AsyncDefaultBasicConsumer(channel);
}

using System.Diagnostics;
using FibRpc.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Xunit.Abstractions;

namespace FibRpc.IntegrationTests;

/// <summary>
/// A 3-node cluster of the tests' own, shared by the tests of <see cref="BrokerNodeTests"/> that need a running
/// broker (one node of it is killed by the failover test; the others use the first node).
/// </summary>
public sealed class SharedBrokerCluster : IAsyncLifetime
{
    private BrokerCluster? _cluster;

    public BrokerCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not started");

    public TimeSpan StartTime { get; private set; }

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        _cluster = await BrokerCluster.StartAsync("fibrpc-shared");
        StartTime = stopwatch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>The helper that lets tests stop, kill, restart and alarm a broker of their own.</summary>
[Trait(TestCategory.Name, TestCategory.Long)]
public sealed class BrokerNodeTests(SharedBrokerCluster shared, ITestOutputHelper output) : IClassFixture<SharedBrokerCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [InProcessFact]
    public async Task A_persistent_message_in_a_durable_queue_survives_stop_app_and_kill_9()
    {
        var node = await Timed("start", () => BrokerNode.StartAsync("fibrpc-durable"));
        await using (node)
        {
            const string queue = "durable.survivor";
            await using (var connection = await ConnectAsync(node, "publisher"))
            await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
                await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, new BasicProperties { Persistent = true }, "survivor"u8.ToArray());
            }

            Assert.Contains(new BrokerQueue(queue, 1), await node.ListQueuesAsync());

            await Timed("stop_app", () => node.StopAppAsync());
            await Timed("start_app", () => node.StartAppAsync());
            Assert.Equal(1u, await ReadyCountAsync(node, queue));

            await Timed("kill -9", () => node.KillAsync());
            await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(node, "nobody-home"));
            await Timed("start again", () => node.StartAgainAsync());

            await using (var connection = await ConnectAsync(node, "consumer"))
            await using (var channel = await connection.CreateChannelAsync())
            {
                var message = await channel.BasicGetAsync(queue, autoAck: true);
                Assert.NotNull(message);
                Assert.Equal("survivor"u8.ToArray(), message.Body.ToArray());
            }

            // RestartAsync is StopAsync then StartAgainAsync; a stopped node leaves nothing for DisposeAsync to shut down.
            await Timed("graceful shutdown", () => node.StopAsync());
            await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(node, "nobody-home"));
            await Timed("dispose", () => node.DisposeAsync().AsTask());
        }

        Assert.False(Directory.Exists(node.Directory), "the node's folder is deleted");
    }

    [InProcessFact]
    public async Task Connections_are_closed_by_client_name_and_all_together()
    {
        var node = shared.Cluster.Nodes[0];
        output.WriteLine($"shared cluster started in {shared.StartTime.TotalMilliseconds:F0} ms");
        await using var doomed = await ConnectAsync(node, "close-me");
        await using var spared = await ConnectAsync(node, "keep-me");
        var doomedShutdown = ShutdownOf(doomed);
        var sparedShutdown = ShutdownOf(spared);
        await Eventually.TrueAsync(async () => (await NamesAsync(node)).Count(name => name is "close-me" or "keep-me") == 2, "both connections are listed");

        var closed = await Timed("close by name", () => node.CloseConnectionsAsync(name => name == "close-me", "test closes close-me"));

        Assert.Equal(1, closed);
        var reason = await doomedShutdown.WaitAsync(Patience);
        Assert.Contains("test closes close-me", reason.ReplyText, StringComparison.Ordinal);
        Assert.False(doomed.IsOpen);
        Assert.True(spared.IsOpen);

        await Timed("close all", () => node.CloseAllConnectionsAsync("test closes all"));
        await sparedShutdown.WaitAsync(Patience);
        Assert.False(spared.IsOpen);
        await Eventually.TrueAsync(async () => !(await NamesAsync(node)).Contains("keep-me"), "no connection is left");
    }

    [InProcessFact]
    public async Task The_memory_alarm_blocks_a_publisher_until_it_is_cleared()
    {
        var node = shared.Cluster.Nodes[0];
        const string queue = "alarm.target";
        await using var connection = await ConnectAsync(node, "alarmed-publisher");
        var blocked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var unblocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionBlockedAsync += (_, e) =>
        {
            blocked.TrySetResult(e.Reason);
            return Task.CompletedTask;
        };
        connection.ConnectionUnblockedAsync += (_, _) =>
        {
            unblocked.TrySetResult();
            return Task.CompletedTask;
        };
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);

        try
        {
            await Timed("memory alarm on", () => node.SetMemoryHighWatermarkAsync(0));
            // The broker blocks a connection when it publishes while the alarm is on; the confirm waits for it.
            var publish = channel.BasicPublishAsync(string.Empty, queue, mandatory: true, new BasicProperties(), "blocked"u8.ToArray()).AsTask();
            var reason = await blocked.Task.WaitAsync(Patience);
            output.WriteLine($"blocked: {reason}");
            Assert.Contains("memory", reason, StringComparison.OrdinalIgnoreCase);
            Assert.False(publish.IsCompleted, "no confirm while the alarm is on");

            await Timed("memory alarm off", () => node.SetMemoryHighWatermarkAsync(0.4));
            await unblocked.Task.WaitAsync(Patience);
            await publish.WaitAsync(Patience);
            Assert.Equal(1u, await ReadyCountAsync(node, queue));
        }
        finally
        {
            await node.SetMemoryHighWatermarkAsync(0.4);
            await channel.QueueDeleteAsync(queue);
        }
    }

    [InProcessFact]
    public async Task A_quorum_queue_of_the_cluster_outlives_the_node_of_its_leader()
    {
        var cluster = shared.Cluster;
        var (leader, survivor) = (cluster.Nodes[2], cluster.Nodes[0]);
        var members = await cluster.RunningMembersAsync(survivor);
        Assert.All(cluster.Nodes, node => Assert.Contains(node.NodeName, members, StringComparison.Ordinal));

        // Declared through the leader's node, the queue's leader is there (queue_leader_locator client-local).
        const string queue = "quorum.survivor";
        await using (var connection = await ConnectAsync(leader, "quorum-publisher"))
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, new BasicProperties { Persistent = true }, "replicated"u8.ToArray());
        }

        output.WriteLine(await survivor.RunCtlAsync("-q", "list_queues", "name", "leader", "members"));
        await Timed("kill -9 of the leader's node", () => leader.KillAsync());

        BasicGetResult? message = null;
        await Timed("get from the new leader", () => Eventually.TrueAsync(
            async () =>
            {
                // Until the other two have elected a leader, a get fails with a connection error (541 nodedown).
                try
                {
                    await using var connection = await ConnectAsync(survivor, "quorum-consumer");
                    await using var channel = await connection.CreateChannelAsync();
                    message = await channel.BasicGetAsync(queue, autoAck: true);
                    return message is not null;
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e)
                {
                    output.WriteLine($"no leader yet: {e.Message}");
                    await Task.Delay(200);
                    return false;
                }
            },
            "a new leader serves the message"));
        Assert.Equal("replicated"u8.ToArray(), message!.Body.ToArray());
    }

    private static async Task<List<string>> NamesAsync(BrokerNode node) =>
        [.. (await node.ListConnectionsAsync()).Select(connection => connection.ClientProvidedName)];

    private static async Task<IConnection> ConnectAsync(BrokerNode node, string clientName) =>
        await new ConnectionFactory { Uri = node.Uri, ClientProvidedName = clientName, AutomaticRecoveryEnabled = false, RequestedConnectionTimeout = TimeSpan.FromSeconds(5) }
            .CreateConnectionAsync();

    private static async Task<uint> ReadyCountAsync(BrokerNode node, string queue)
    {
        await using var connection = await ConnectAsync(node, "counter");
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    private static Task<ShutdownEventArgs> ShutdownOf(IConnection connection)
    {
        var shutdown = new TaskCompletionSource<ShutdownEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, e) =>
        {
            shutdown.TrySetResult(e);
            return Task.CompletedTask;
        };
        return shutdown.Task;
    }

    private async Task Timed(string what, Func<Task> operation) => await Timed(what, async () =>
    {
        await operation();
        return 0;
    });

    private async Task<T> Timed<T>(string what, Func<Task<T>> operation)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await operation();
        output.WriteLine($"{what}: {stopwatch.ElapsedMilliseconds} ms");
        return result;
    }
}

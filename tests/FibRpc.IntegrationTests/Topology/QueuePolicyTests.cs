using System.Diagnostics;
using System.Globalization;
using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit.Abstractions;

namespace FibRpc.IntegrationTests.Topology;

/// <summary>
/// The limits `fibrpc topology --policies management` sets really hold on the broker (the development broker, whose
/// management API scripts/broker.sh opens on 127.0.0.1:15672, elsewhere named by RabbitMQManagementUrl; with a queue
/// and policies of each test's own): a flood beyond the maximum length is nacked at the edge, and a request redelivered past the delivery limit is dead-lettered.
/// </summary>
public sealed class QueuePolicyTests(Broker broker, ITestOutputHelper output) : IClassFixture<Broker>
{
    [InProcessFact]
    public async Task A_flood_beyond_the_maximum_length_is_nacked_at_the_edge_and_raises_no_memory_alarm()
    {
        const int maxLength = 20;
        const int flood = 200;
        var queue = await DeclareWithPoliciesAsync("flood", "--max-length", maxLength.ToString(CultureInfo.InvariantCulture));
        try
        {
            // No server consumes: the queue fills to its bound, then each publish beyond it is nacked by the broker.
            await using var channel = await broker.Connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var started = Stopwatch.StartNew();
            var nacked = 0;
            for (var i = 0; i < maxLength + flood; i++)
            {
                try
                {
                    await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, new BasicProperties { Persistent = true, CorrelationId = i.ToString(CultureInfo.InvariantCulture) }, "10"u8.ToArray());
                }
                catch (PublishException e) when (!e.IsReturn)
                {
                    nacked++;
                }
            }

            output.WriteLine($"{maxLength + flood} confirmed publishes against max-length {maxLength}: {nacked} nacked, in {started.Elapsed.TotalSeconds:0.00} s");
            // A quorum queue checks the bound on its leader while earlier publishes are still being applied, so it
            // may take one or two beyond it; everything else is refused, and what it took is what it holds.
            Assert.InRange(nacked, flood - 2, flood);
            Assert.Equal((uint)(maxLength + flood - nacked), await broker.ReadyCountAsync(queue));
            Assert.Equal("[]", (await Rabbitmqctl.RunAsync("-q", "eval", "rabbit_alarm:get_alarms().")).Trim());
        }
        finally
        {
            await DeleteAsync(queue);
        }
    }

    [InProcessFact]
    public async Task A_call_beyond_the_maximum_length_fails_at_once_with_FibRpcOverloadedException()
    {
        const int maxLength = 5;
        const int beyond = 20;
        var queue = await DeclareWithPoliciesAsync("overload", "--max-length", maxLength.ToString(CultureInfo.InvariantCulture));
        try
        {
            await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions
            {
                Connection = Broker.Uri, RequestQueue = queue, Timeout = TimeSpan.FromSeconds(30), PublishAttempts = 2, ClientName = "fibrpc-overload",
            });

            // No server consumes. Calls with a long timeout fill the queue (their requests do not expire meanwhile).
            var waiting = Enumerable.Range(0, maxLength).Select(i => client.CallAsync(10 + i)).ToList();
            await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(queue) == maxLength, "the queue is full");

            var outcomes = new List<string>();
            var slowest = TimeSpan.Zero;
            for (var i = 0; i < beyond; i++)
            {
                var started = Stopwatch.StartNew();
                try
                {
                    await client.CallAsync(7, TimeSpan.FromSeconds(2));
                    outcomes.Add("answered");
                }
                catch (FibRpcOverloadedException e)
                {
                    Assert.Contains(queue, e.Message, StringComparison.Ordinal);
                    outcomes.Add("overloaded");
                    slowest = started.Elapsed > slowest ? started.Elapsed : slowest;
                }
                catch (FibRpcTimeoutException)
                {
                    // Taken by the queue, never answered: the quorum queue's bound lets one through (below).
                    outcomes.Add("taken");
                }
            }

            var counts = outcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine($"{beyond} calls beyond max-length {maxLength}: {string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}"))}; slowest refusal {slowest.TotalMilliseconds:0} ms");
            // A quorum queue applies its bound once the message that reaches it is in: at most one more is taken.
            Assert.InRange(counts.GetValueOrDefault("taken"), 0, 1);
            Assert.Equal(beyond - counts.GetValueOrDefault("taken"), counts.GetValueOrDefault("overloaded"));
            Assert.True(slowest < TimeSpan.FromSeconds(1), $"a refusal took {slowest.TotalMilliseconds:0} ms: it must come at once, not at the timeout");
            Assert.InRange(await broker.ReadyCountAsync(queue), (uint)maxLength, (uint)maxLength + 1);
            Assert.Equal("[]", (await Rabbitmqctl.RunAsync("-q", "eval", "rabbit_alarm:get_alarms().")).Trim());
            Assert.All(waiting, call => Assert.False(call.IsCompleted));
        }
        finally
        {
            await DeleteAsync(queue);
        }
    }

    [InProcessFact]
    public async Task A_request_redelivered_past_the_delivery_limit_is_dead_lettered()
    {
        const int limit = 2;
        var queue = await DeclareWithPoliciesAsync("limit", "--delivery-limit", limit.ToString(CultureInfo.InvariantCulture));
        try
        {
            await using var channel = await broker.Connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, new BasicProperties { Persistent = true }, "7"u8.ToArray());

            // A worker that fails each time hands the request back (nack with requeue), as a crash would.
            var deliveries = 0;
            long lastDeliveryCount = -1;
            for (var i = 0; i < 10 && await channel.BasicGetAsync(queue, autoAck: false) is { } delivery; i++)
            {
                deliveries++;
                lastDeliveryCount = delivery.BasicProperties.Headers?.TryGetValue("x-delivery-count", out var count) == true ? Convert.ToInt64(count, CultureInfo.InvariantCulture) : 0;
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
                await Task.Delay(50);
            }

            await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(RpcNames.DeadLetterQueueFor(queue)) == 1, "the request is dead-lettered");
            output.WriteLine($"delivery-limit {limit}: delivered {deliveries} times (last x-delivery-count {lastDeliveryCount}), then dead-lettered");
            Assert.Equal(limit + 1, deliveries);
            Assert.Equal(0u, await broker.ReadyCountAsync(queue));
            var dead = await broker.GetAsync(RpcNames.DeadLetterQueueFor(queue));
            Assert.NotNull(dead);
            Assert.Equal("7", System.Text.Encoding.ASCII.GetString(dead.Body.Span));

            // The policies are what the broker applies to the two queues.
            var policies = (await Rabbitmqctl.ListAsync("list_queues", "name", "policy")).Select(row => string.Join('\t', row)).ToList();
            Assert.Contains($"{queue}\t{queue}-limits", policies);
            Assert.Contains($"{RpcNames.DeadLetterQueueFor(queue)}\t{RpcNames.DeadLetterQueueFor(queue)}-limits", policies);
        }
        finally
        {
            await DeleteAsync(queue);
        }
    }

    /// <summary>fibrpc topology as a user runs it, setting the policies through the test broker's management API.</summary>
    private static async Task<string> DeclareWithPoliciesAsync(string purpose, params string[] limits)
    {
        var queue = Broker.NewQueueName(purpose);
        using var topology = new ChildProcess("dotnet", [FibRpcCli.Dll, "topology", "--queue", queue,
            "--connection", Broker.Uri, "--policies", "management", .. limits]);
        Assert.True(await topology.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, topology.Output);
        Assert.Contains("policies set through the management API", topology.Output, StringComparison.Ordinal);
        return queue;
    }

    private async Task DeleteAsync(string queue)
    {
        await broker.DeleteTopologyAsync(queue);
        await Rabbitmqctl.RunAsync("clear_policy", "-p", Broker.VirtualHost, $"{queue}-limits");
        await Rabbitmqctl.RunAsync("clear_policy", "-p", Broker.VirtualHost, $"{RpcNames.DeadLetterQueueFor(queue)}-limits");
    }
}

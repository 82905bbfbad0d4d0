using System.Text;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace FibRpc.IntegrationTests.Faults;

/// <summary>
/// Faults injected against the real broker (the suite's own node) and real <c>fibrpc serve</c> processes under steady
/// load: broker stop_app/start_app and a full restart, each of the service's connections closed by the broker, a
/// serve killed mid-request, a memory alarm over a backlog, and hostile requests. Each ends with 0 confirmed requests
/// lost, no wrong answer, and requests answered again soon after the broker is healthy.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Long)]
public sealed class ServiceFaultTests(FaultBroker broker, ITestOutputHelper output)
{
    /// <summary>From the broker being healthy again to the first answer to a request sent after that.</summary>
    private static readonly TimeSpan RecoveryGoal = TimeSpan.FromSeconds(3);

    private ChildProcess StartServe(string queue) => new("dotnet", [FibRpcCli.Dll, "serve", "--queue", queue, "--connection", broker.Uri], new Dictionary<string, string>
    {
        // The load's durable reply queues are named test.*; serve answers only allowed reply targets.
        ["FibRpc__AllowedReplyQueuePrefixes__0"] = "test.",
        ["FibRpc__PublishTimeoutSeconds"] = "5",
        ["FibRpc__BlockedWaitSeconds"] = "5",
    });

    private async Task WaitForConsumersAsync(string queue, int count, params ChildProcess[] serves) =>
        await Eventually.TrueAsync(async () => await broker.ConsumerCountAsync(queue) == count,
            $"{count} serve process(es) consume '{queue}'. Output:\n{string.Join("\n---\n", serves.Select(serve => serve.Output))}", TimeSpan.FromSeconds(30));

    /// <summary>A fresh request queue on the suite's node, serve processes consuming it, and the steady load running.</summary>
    private async Task<ServedQueue> ServedUnderLoadAsync(string purpose, int serves = 1, int paceMilliseconds = 5)
    {
        var queue = await broker.Node.DeclareTopologyAsync(purpose);
        ChildProcess[] started = [.. Enumerable.Range(0, serves).Select(_ => StartServe(queue))];
        await WaitForConsumersAsync(queue, serves, started);
        return new ServedQueue(queue, started, await RequestLoad.StartAsync(broker.Uri, queue, TimeSpan.FromMilliseconds(paceMilliseconds)));
    }

    private sealed record ServedQueue(string Queue, ChildProcess[] Serves, RequestLoad Load) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Load.DisposeAsync();
            Array.ForEach(Serves, serve => serve.Dispose());
        }
    }

    /// <summary>
    /// Runs the service under load, injects a fault (which returns when the broker is healthy again, on the load's
    /// clock), keeps the load on for a while, and then settles the books. Recovery is the first answer to a request
    /// sent after the broker was healthy again; with <paramref name="backlogAhead"/> it is the first answer of any
    /// request instead, because a request sent then waits behind the whole backlog, and how long that takes measures
    /// the machine's throughput, not the service's recovery.
    /// </summary>
    private async Task<FaultReport> RunAsync(string fault, ServedQueue served, Func<Task<TimeSpan>> inject, bool backlogAhead = false)
    {
        var (queue, load, serves) = (served.Queue, served.Load, served.Serves);
        await Eventually.TrueAsync(() => Task.FromResult(load.Answered >= 20), $"the service answers before the fault. Output:\n{string.Join("\n---\n", serves.Select(s => s.Output))}", TimeSpan.FromSeconds(30));
        var healthyAgain = await inject();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await load.StopPublishingAsync();

        var unanswered = await load.UnansweredAfterAsync(TimeSpan.FromSeconds(30));
        var deadLettered = await broker.DrainAsync(RpcNames.DeadLetterQueueFor(queue));
        var lost = unanswered.Except(deadLettered).ToList();
        var report = new FaultReport(fault, load.Sent, load.Confirmed, load.Answered, load.Duplicates, deadLettered.Count, lost.Count, load.Wrong,
            backlogAhead ? load.FirstAnswerReceivedAfter(healthyAgain) : load.FirstAnswerAfter(healthyAgain));
        report.Publish(output);

        Assert.True(lost.Count == 0, $"{fault}: confirmed requests lost: {string.Join(", ", lost.Take(20))}. Output:\n{string.Join("\n---\n", serves.Select(s => s.Output))}");
        Assert.Equal(0, load.Wrong);
        Assert.True(report.Recovery is { } recovery && recovery <= RecoveryGoal, $"{fault}: first answer {report.Recovery?.TotalSeconds:0.00} s after the broker was healthy again (goal {RecoveryGoal.TotalSeconds} s)");
        return report;
    }

    [InProcessFact]
    public async Task Broker_stop_app_and_start_app_under_load()
    {
        await using var served = await ServedUnderLoadAsync("fault-stop-app");
        await RunAsync("broker `stop_app`, 2 s, `start_app`", served, async () =>
        {
            await broker.Node.StopAppAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await broker.Node.StartAppAsync();
            return served.Load.Now;
        });
    }

    [InProcessFact]
    public async Task Broker_full_restart_under_load()
    {
        await using var served = await ServedUnderLoadAsync("fault-restart");
        await RunAsync("broker full restart (node stopped and started again)", served, async () =>
        {
            await broker.Node.StopAsync();
            await broker.Node.StartAgainAsync();
            return served.Load.Now;
        });
    }

    [InProcessTheory]
    [InlineData("publish")]
    [InlineData("consume")]
    public async Task The_broker_closes_one_of_the_services_connections(string role)
    {
        await using var served = await ServedUnderLoadAsync("fault-close-" + role);
        await RunAsync($"`close_connection` of serve's {role} connection", served, async () =>
        {
            var closed = await broker.Node.CloseConnectionsAsync(name => name.StartsWith("fibrpc-", StringComparison.Ordinal) && name.EndsWith("-" + role, StringComparison.Ordinal), "fault injection");
            Assert.Equal(1, closed);
            return served.Load.Now;
        });
        Assert.False(served.Serves[0].HasExited, "serve survives a closed connection");
    }

    [InProcessFact]
    public async Task A_serve_killed_mid_request_leaves_its_work_to_another()
    {
        await using var served = await ServedUnderLoadAsync("fault-kill", serves: 2, paceMilliseconds: 2);
        await RunAsync("`kill -9` of one of two serves under load", served, () =>
        {
            served.Serves[0].Kill();
            return Task.FromResult(served.Load.Now);
        });
    }

    [InProcessFact]
    public async Task A_memory_alarm_over_a_backlog_holds_replies_and_loses_nothing()
    {
        await using var served = await ServedUnderLoadAsync("fault-alarm");
        var (queue, first, load) = (served.Queue, served.Serves[0], served.Load);
        ChildProcess? second = null;
        try
        {
            await RunAsync("memory alarm for 5 s over a backlog of 100+ requests", served, async () =>
            {
                // A backlog: the consumer goes away while requests keep coming; a fresh one then meets the alarm.
                first.Terminate();
                await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
                await Eventually.TrueAsync(() => Task.FromResult(load.Confirmed >= load.Answered + 100), "a backlog of 100 requests", TimeSpan.FromSeconds(30));
                await broker.Node.SetMemoryHighWatermarkAsync(0);
                second = StartServe(queue);
                await WaitForConsumersAsync(queue, 1, second);
                await Eventually.TrueAsync(() => Task.FromResult(second.Output.Contains("blocks publishing", StringComparison.Ordinal)),
                    $"serve logs the block. Output:\n{second.Output}", TimeSpan.FromSeconds(10));
                await Task.Delay(TimeSpan.FromSeconds(5));
                await broker.Node.SetMemoryHighWatermarkAsync(0.4);
                return load.Now;
            }, backlogAhead: true);
            Assert.Contains("lifted the block", second!.Output, StringComparison.Ordinal);
        }
        finally
        {
            await broker.Node.SetMemoryHighWatermarkAsync(0.4);
            second?.Dispose();
        }
    }

    [InProcessFact]
    public async Task Hostile_requests_are_settled_and_serve_goes_on()
    {
        await using var served = await ServedUnderLoadAsync("fault-hostile");
        var (queue, load) = (served.Queue, served.Load);
        await RunAsync("hostile requests: requeue header 2^40, text and table; forged direct reply-to", served, async () =>
        {
            await using var connection = await RabbitConnection.CreateFactory(broker.Uri, "fault-hostile").CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
            var hostile = new (string Id, string ReplyTo, object? RequeueCount)[]
            {
                ("h-2pow40", load.ReplyQueue, 1L << 40),
                ("h-text", load.ReplyQueue, "abc"),
                ("h-table", load.ReplyQueue, new Dictionary<string, object?> { ["a"] = 1 }),
                ("h-forged", "amq.rabbitmq.reply-to.g2dkAA5jaGFvc0Bsb2NhbGhvc3QAAAAAAAAAAAAAAAA=.Zm9v", null),
            };
            foreach (var (id, replyTo, count) in hostile)
            {
                var properties = new BasicProperties
                {
                    CorrelationId = id,
                    ReplyTo = replyTo,
                    Headers = count is null ? null : new Dictionary<string, object?> { [RpcNames.RequeueCountHeader] = count },
                };
                await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.ASCII.GetBytes("30"));
            }

            return load.Now;
        });
        Assert.Equal(1u, await broker.ConsumerCountAsync(queue));
    }
}

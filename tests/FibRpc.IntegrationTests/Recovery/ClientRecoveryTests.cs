using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FibRpc.Client;
using FibRpc.IntegrationTests.Faults;
using FibRpc.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace FibRpc.IntegrationTests.Recovery;

/// <summary>
/// The client through broker faults on the fault suite's node: a full restart under load in each reply mode, a
/// connection closed by the broker, a reply queue deleted under the client, and fibrpc bench through a restart.
/// The figures (time to recover, calls failed) are written to the test output for docs/reliability.md. The other
/// side is <see cref="TestResponder"/>, a plain server of the pattern, so that the tests measure the client alone.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Long)]
// In the fault suite's collection, on its node: both restart or starve the broker under load and time the recovery,
// and each would measure the other's load if they ran side by side on two cores.
[Collection(FaultCollection.Name)]
public sealed class ClientRecoveryTests(FaultBroker broker, ITestOutputHelper output)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Calls succeed again this soon after the broker accepts connections.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(3);

    [InProcessTheory]
    [InlineData(ReplyQueueMode.DirectReplyTo)]
    [InlineData(ReplyQueueMode.ExclusiveQueue)]
    public async Task Calls_succeed_again_soon_after_a_broker_restart_and_none_hangs(ReplyQueueMode mode)
    {
        var queue = await broker.Node.DeclareTopologyAsync("restart");
        await using var responder = await TestResponder.StartAsync(broker.Uri, queue);
        await using var client = await ConnectAsync(queue, mode, "restart");
        var replyToBefore = client.ReplyTo;

        const int workers = 4;
        var load = new LoadUnderFault(client, workers);
        load.Start();
        await load.SucceededSinceAsync(Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(10));
        await Task.Delay(500);

        var down = Stopwatch.GetTimestamp();
        await broker.Node.StopAsync();
        var stopped = Stopwatch.GetTimestamp();
        var accepting = FirstAcceptedConnectionAsync(broker.Node.AmqpPort);
        await broker.Node.StartAgainAsync();

        // "Back" is when the node first accepts a TCP connection on its AMQP port, not when rabbitmqctl returns.
        var up = await accepting.WaitAsync(TimeSpan.FromSeconds(5));
        await load.SucceededSinceAsync(up, TimeSpan.FromSeconds(10), () => $"client connected {client.IsConnected}, reply to {client.ReplyTo}, {client.ReplyPathsOpened} paths; responder answered {responder.Handled}");
        await Task.Delay(500);
        await load.StopAsync(CallTimeout + TimeSpan.FromSeconds(5));

        var records = load.Records;
        Assert.True(records.Count < LoadUnderFault.MaxCalls, $"the client spins: {CallRecord.FailuresByKind(records.Where(record => !record.Succeeded).Take(100_000))}");
        var firstSuccess = records.Where(record => record.Succeeded && record.Ended >= up).Min(record => record.Ended);
        var recovered = Stopwatch.GetElapsedTime(up, firstSuccess);
        var failures = records.Where(record => !record.Succeeded).ToList();
        var longest = records.Max(record => record.Duration);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mode}: broker stopped in {Stopwatch.GetElapsedTime(down, stopped).TotalSeconds:0.0} s, down {Stopwatch.GetElapsedTime(stopped, up).TotalSeconds:0.0} s until it accepted connections; first success {recovered.TotalSeconds:0.00} s after; {records.Count} calls, {failures.Count} failed ({CallRecord.FailuresByKind(failures)}), longest call {longest.TotalSeconds:0.00} s of {CallTimeout.TotalSeconds} s"));

        Assert.True(recovered < RecoveryBound, $"calls succeed again {recovered.TotalSeconds:0.00} s after the broker is back (bound {RecoveryBound.TotalSeconds} s)");
        Assert.True(longest < CallTimeout + TimeSpan.FromSeconds(1), $"a call took {longest.TotalSeconds:0.00} s: none may hang past its {CallTimeout.TotalSeconds} s timeout");
        Assert.All(failures, record => Assert.True(record.Failure is FibRpcCallLostException or FibRpcConnectFailedException, $"a restart fails calls as lost, not as {record.Failure}"));
        Assert.NotEmpty(failures);

        // Lost calls fail at once and the next ones wait for the reconnection, each for up to its timeout: a worker
        // fails about once per call timeout of the outage, plus the call lost in flight and one at the boundary (a
        // node that takes longer to come back on a busy machine means more of them). A client that spins instead
        // fails hundreds of times.
        var unavailable = Stopwatch.GetElapsedTime(down, up);
        var perWorker = (int)Math.Ceiling(unavailable / CallTimeout) + 2;
        Assert.True(failures.Count <= workers * perWorker,
            $"{failures.Count} failures from {workers} workers in {unavailable.TotalSeconds:0.0} s without a broker (at most {perWorker} each): the client spins instead of waiting for the broker");
        Assert.All(records.Where(record => record.Started >= firstSuccess), record => Assert.True(record.Succeeded, $"after the recovery every call succeeds: {record.Failure}"));
        if (mode == ReplyQueueMode.ExclusiveQueue)
        {
            Assert.NotEqual(replyToBefore, client.ReplyTo);
            Assert.StartsWith("amq.gen-", client.ReplyTo, StringComparison.Ordinal);
        }
    }

    [InProcessTheory]
    [InlineData(ReplyQueueMode.DirectReplyTo)]
    [InlineData(ReplyQueueMode.ExclusiveQueue)]
    public async Task A_connection_closed_by_the_broker_fails_the_waiting_call_at_once_and_the_next_call_works(ReplyQueueMode mode)
    {
        // No responder yet: the first call waits for a reply that only the lost connection could have brought.
        var queue = await broker.Node.DeclareTopologyAsync("closed");
        var name = $"fibrpc-client-closed-{mode}";
        await using var client = await ConnectAsync(queue, mode, name, TimeSpan.FromSeconds(30));
        var waiting = client.CallAsync(5);
        await Eventually.TrueAsync(async () => (await broker.Node.ListQueuesAsync()).Any(q => q.Name == queue && q.Messages == 1), "the request is queued");

        Assert.Equal(1, await broker.Node.CloseConnectionsAsync(clientName => clientName == name, "closed by the client recovery test"));
        var closed = Stopwatch.GetTimestamp();
        var lost = await Assert.ThrowsAsync<FibRpcReplyLostException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.Contains("closed by the client recovery test", lost.Message, StringComparison.Ordinal);

        await using var responder = await TestResponder.StartAsync(broker.Uri, queue);
        Assert.Equal("55", await client.CallAsync(10));
        var recovered = Stopwatch.GetElapsedTime(closed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode}: waiting call failed at once; next call answered {recovered.TotalSeconds:0.00} s after the forced close"));
        Assert.True(recovered < RecoveryBound, $"answered {recovered.TotalSeconds:0.00} s after the close");
        Assert.Equal(2, client.ReplyPathsOpened);
    }

    [InProcessFact]
    public async Task A_deleted_reply_queue_fails_the_waiting_call_at_once_and_the_next_call_gets_a_new_one()
    {
        var queue = await broker.Node.DeclareTopologyAsync("deleted");
        await using var client = await ConnectAsync(queue, ReplyQueueMode.ExclusiveQueue, "deleted", TimeSpan.FromSeconds(30));
        var replyQueue = client.ReplyTo!;
        var waiting = client.CallAsync(5);
        await Eventually.TrueAsync(async () => (await broker.Node.ListQueuesAsync()).Any(q => q.Name == queue && q.Messages == 1), "the request is queued");

        // An operator deletes the queue: the broker cancels the client's consumer on it.
        await broker.Node.RunCtlAsync("delete_queue", replyQueue);
        var lost = await Assert.ThrowsAsync<FibRpcReplyLostException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(2)));
        Assert.Contains("cancelled the reply consumer", lost.Reason, StringComparison.Ordinal);

        await using var responder = await TestResponder.StartAsync(broker.Uri, queue);
        Assert.Equal("55", await client.CallAsync(10));
        Assert.NotEqual(replyQueue, client.ReplyTo);
    }

    [InProcessFact]
    public async Task Bench_rides_through_a_broker_restart_and_reports_the_outage()
    {
        var queue = await broker.Node.DeclareTopologyAsync("bench");
        await using var responder = await TestResponder.StartAsync(broker.Uri, queue);
        using var bench = new ChildProcess("dotnet", [FibRpcCli.Dll, "bench", "--connection", broker.Uri, "--queue", queue,
            "--duration", "12", "--concurrency", "4", "--warmup", "0", "--timeout", "30", "--json", "--no-progress"]);
        await Eventually.TrueAsync(() => Task.FromResult(responder.Handled >= 100), $"bench is under way. Output:\n{bench.Output}", TimeSpan.FromSeconds(20));

        var down = Stopwatch.GetTimestamp();
        await broker.Node.StopAsync();
        await broker.Node.StartAgainAsync();
        var outageSeen = Stopwatch.GetElapsedTime(down).TotalSeconds;

        var handledAtRestart = responder.Handled;
        var exit = await bench.WaitForExitAsync(TimeSpan.FromSeconds(40));
        var json = bench.Output[bench.Output.IndexOf('{', StringComparison.Ordinal)..];
        output.WriteLine(json);
        output.WriteLine($"responder answered {handledAtRestart} when the broker was back, {responder.Handled} at the end; queues: {string.Join(", ", await broker.Node.ListQueuesAsync())}");
        Assert.True(exit == 0, $"the calls in flight at the restart are sent again and answered within --timeout, so the run passes:\n{bench.Output}");
        using var document = JsonDocument.Parse(json);
        var result = document.RootElement;
        Assert.Equal(result.GetProperty("replies").GetInt64(), result.GetProperty("correct").GetInt64());
        Assert.Equal(0, result.GetProperty("repliesLost").GetInt64() + result.GetProperty("connectionLost").GetInt64());
        Assert.True(result.GetProperty("resentCalls").GetInt64() >= 1, "the calls in flight at the restart are counted as sent again");
        Assert.True(result.GetProperty("passed").GetBoolean());

        var outage = Assert.Single(result.GetProperty("outages").EnumerateArray());
        var length = outage.GetProperty("durationSeconds").GetDouble();
        // From the first call that lost its connection to the next reply: with calls re-sent, a reply already on its
        // way when the broker went can end it at once, so only its upper bound is known.
        Assert.InRange(length, 0, outageSeen + RecoveryBound.TotalSeconds);
        Assert.Equal(0, outage.GetProperty("lostRequests").GetInt64());
        Assert.True(outage.GetProperty("retriedRequests").GetInt64() >= 1);
        Assert.True(outage.GetProperty("startSeconds").GetDouble() > 0);

        // It kept measuring after the outage: replies arrived before it and after it.
        var before = outage.GetProperty("startSeconds").GetDouble();
        Assert.True(before + length < result.GetProperty("elapsedSeconds").GetDouble(), "the run went on after the broker was back");
    }

    private Task<FibRpcClient> ConnectAsync(string queue, ReplyQueueMode mode, string name, TimeSpan? timeout = null) =>
        FibRpcClient.ConnectAsync(new FibRpcClientOptions
        {
            Connection = broker.Uri,
            RequestQueue = queue,
            ReplyQueue = mode,
            Timeout = timeout ?? CallTimeout,
            ClientName = name,
        });

    /// <summary>Polls the port every 20 ms until a connection is accepted; returns when (stopwatch ticks).</summary>
    private static async Task<long> FirstAcceptedConnectionAsync(int port)
    {
        while (true)
        {
            using var socket = new System.Net.Sockets.TcpClient();
            try
            {
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return Stopwatch.GetTimestamp();
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(20);
            }
        }
    }
}

using FibRpc.Client;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.IntegrationTests.Recovery;

namespace FibRpc.IntegrationTests.FirstHour;

/// <summary>
/// FibRpcClientOptions.ResendOnConnectionLoss: a call whose connection is cut (rabbitmqctl close_connection, on this
/// test's own client connection only) is sent again after the reconnection and answered, within its timeout; without
/// the option the loss is the caller's to see. And fibrpc bench, which turns it on, counts such calls as re-sent.
/// </summary>
[Collection(BenchClientCollection.Name)]
public sealed class ClientResendTests(Broker broker) : BrokerTest(broker, "resend")
{
    private static string ClientName() => "fibrpc-resend-test-" + Guid.NewGuid().ToString("N")[..8];

    [InProcessFact]
    public async Task A_call_whose_connection_is_cut_is_sent_again_and_answered()
    {
        var name = ClientName();
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions
        {
            Connection = Broker.Uri,
            RequestQueue = Queue,
            ClientName = name,
            ResendOnConnectionLoss = true,
            Timeout = TimeSpan.FromSeconds(60),
        });
        var resent = new TaskCompletionSource<FibRpcCallResentEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.CallResent += (_, e) => resent.TrySetResult(e);

        // No one answers yet: the request waits in the queue while its reply path is cut.
        var call = client.CallAsync(20);
        await Eventually.TrueAsync(async () => await Broker.ReadyCountAsync(Queue) == 1, "the request is in the queue");
        Assert.Equal(1, await BrokerConnections.CloseAsync(name));

        var loss = await resent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.IsType<FibRpcReplyLostException>(loss.Loss);
        Assert.Equal("20"u8.ToArray(), loss.Request.ToArray());
        await using var responder = await TestResponder.StartAsync(Broker.Uri, Queue);

        Assert.Equal("6765", await call.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(1, client.ResentCalls);
    }

    [InProcessFact]
    public async Task Without_the_option_the_caller_sees_the_loss()
    {
        var name = ClientName();
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions
        {
            Connection = Broker.Uri,
            RequestQueue = Queue,
            ClientName = name,
            Timeout = TimeSpan.FromSeconds(60),
        });

        var call = client.CallAsync(20);
        await Eventually.TrueAsync(async () => await Broker.ReadyCountAsync(Queue) == 1, "the request is in the queue");
        Assert.Equal(1, await BrokerConnections.CloseAsync(name));

        await Assert.ThrowsAsync<FibRpcReplyLostException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, client.ResentCalls);
    }

    [InProcessFact]
    public async Task Bench_counts_the_calls_of_a_cut_connection_as_re_sent_not_lost()
    {
        await using var service = await ServiceUnderTest.StartAsync(Queue);
        using var bench = new ChildProcess("dotnet", [FibRpcCli.Dll, "bench", "--queue", Queue, "--connection", Broker.Uri, "--duration", "30", "--concurrency", "4", "--warmup", "0", "--json", "--no-progress"]);

        // Cut once the bench's calls are answered (a cut while it still starts would find no call to send again):
        // from then on calls are in flight all the time at concurrency 4. The bench runs long enough for the cut
        // (two rabbitmqctl runs, each an Erlang VM, seconds apiece on a busy machine) to land before its end.
        await Eventually.TrueAsync(() => Task.FromResult(service.Host.Handled >= 20), $"the bench's calls are answered. Output:\n{bench.Output}", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => await BrokerConnections.CloseAsync("fibrpc-bench") == 1, $"the bench's connection is cut. Output:\n{bench.Output}");
        Assert.True(await bench.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, bench.Output);

        using var result = System.Text.Json.JsonDocument.Parse(bench.Output[bench.Output.IndexOf('{', StringComparison.Ordinal)..]);
        var root = result.RootElement;
        Assert.True(root.GetProperty("resentCalls").GetInt64() >= 1, bench.Output);
        Assert.Equal(0, root.GetProperty("repliesLost").GetInt64());
        Assert.Equal(0, root.GetProperty("connectionLost").GetInt64());
        var outage = Assert.Single(root.GetProperty("outages").EnumerateArray());
        Assert.Equal(0, outage.GetProperty("lostRequests").GetInt64());
        Assert.True(outage.GetProperty("retriedRequests").GetInt64() >= root.GetProperty("resentCalls").GetInt64(), $"every re-send is counted in the outage:\n{bench.Output}");
        Assert.True(root.GetProperty("passed").GetBoolean(), bench.Output);
    }
}

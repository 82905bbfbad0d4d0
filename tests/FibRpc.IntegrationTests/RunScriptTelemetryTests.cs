using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.IntegrationTests;

/// <summary>
/// The README's run command with its telemetry option, as a user runs it: <c>scripts/run.sh --telemetry</c> serves
/// rpc_queue with /metrics and console spans, and the Prometheus it starts counts the calls by outcome.
/// </summary>
public sealed class RunScriptTelemetryTests(Broker broker) : BrokerTest(broker, "run-script")
{
    [InProcessFact]
    public async Task Run_with_telemetry_serves_rpc_queue_and_its_Prometheus_counts_the_calls_by_outcome()
    {
        Assert.True(File.Exists("/usr/bin/prometheus"), "/usr/bin/prometheus is missing: run scripts/bootstrap.sh telemetry");
        await AssertNothingElseUsesTheRequestQueueAsync();
        var environment = new Dictionary<string, string>
        {
            ["FIBRPC_METRICS_PORT"] = $"{FreePort.Next()}",
            ["FIBRPC_PROMETHEUS_PORT"] = $"{FreePort.Next()}",
            [RpcNames.ConnectionSetting] = Broker.Uri,
            ["FIBRPC_PROMETHEUS_DATA"] = Directory.CreateTempSubdirectory("fibrpc-run-prometheus-").FullName,
            // Without Azure Functions Core Tools on the path, as on a machine that has none: run.sh serves with fibrpc.
            ["PATH"] = string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Where(d => d.Length > 0 && !File.Exists(Path.Combine(d, "func")))),
        };
        var prometheus = new PrometheusApi(int.Parse(environment["FIBRPC_PROMETHEUS_PORT"], System.Globalization.CultureInfo.InvariantCulture));
        using var run = new ChildProcess("bash", [RepositoryFiles.PathOf("scripts/run.sh"), "--telemetry"], environment);
        try
        {
            await Eventually.TrueAsync(async () => await Broker.ConsumerCountAsync(RpcNames.Queue) == 1,
                $"scripts/run.sh --telemetry serves {RpcNames.Queue}. Output:\n{run.Output}", TimeSpan.FromSeconds(180));
            await using (var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri }))
            {
                foreach (var n in new[] { 10, 20, 30 })
                {
                    await client.CallAsync(n);
                }

                await Assert.ThrowsAsync<FibRpcErrorReplyException>(() => client.CallRawAsync("-3"u8.ToArray()));
            }

            // Prometheus scrapes every 15 s: the first scrape after the calls holds them.
            await Eventually.TrueAsync(async () => await prometheus.ScalarAsync("sum(messaging_process_duration_seconds_count{outcome=\"ok\"})") == 3,
                $"the Prometheus of run.sh counts 3 ok requests. Output:\n{run.Output}", TimeSpan.FromSeconds(60));
            Assert.Equal(1, await prometheus.ScalarAsync($"sum(messaging_process_duration_seconds_count{{outcome=\"bad_request\",error_type=\"{RpcErrorCodes.Negative}\"}})"));
            Assert.Equal(4, await prometheus.ScalarAsync("sum(messaging_process_duration_seconds_count)"));
            Assert.Contains($"process {RpcNames.Queue}", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            run.Kill();
            using var stop = new ChildProcess("bash", [RepositoryFiles.PathOf("scripts/prometheus.sh"), "stop"], environment);
            await stop.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Directory.Delete(environment["FIBRPC_PROMETHEUS_DATA"], recursive: true);
        }
    }

    /// <summary>
    /// rpc_queue is the virtual host's, not this test's: it may be missing (run.sh declares it), but requests left in
    /// it by an earlier run would be served and counted with this test's calls, and another server consuming it would
    /// take some of them. Either fails here, saying so, instead of as a wrong count.
    /// </summary>
    private async Task AssertNothingElseUsesTheRequestQueueAsync()
    {
        await using var channel = await Broker.Connection.CreateChannelAsync();
        QueueDeclareOk existing;
        try
        {
            existing = await channel.QueueDeclarePassiveAsync(RpcNames.Queue);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return;
        }

        Assert.True(existing.ConsumerCount == 0, $"{existing.ConsumerCount} consumer(s) already serve {RpcNames.Queue} on {Broker.Uri}: stop them (another scripts/run.sh?) or point FIBRPC_TEST_BROKER at a virtual host of its own");
        Assert.True(existing.MessageCount == 0, $"{RpcNames.Queue} on {Broker.Uri} holds {existing.MessageCount} request(s) from earlier, which run.sh would serve and count with this test's calls: purge it (rabbitmqctl purge_queue -p {Broker.VirtualHost} {RpcNames.Queue}) or point FIBRPC_TEST_BROKER at a virtual host of its own");
    }
}

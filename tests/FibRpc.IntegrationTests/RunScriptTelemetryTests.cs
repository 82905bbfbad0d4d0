using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;

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

                await Assert.ThrowsAsync<FibRpcErrorException>(() => client.CallRawAsync("-3"u8.ToArray()));
            }

            // Prometheus scrapes every 15 s: the first scrape after the calls holds them.
            await Eventually.TrueAsync(async () => await prometheus.ScalarAsync("sum(fibrpc_requests_total{outcome=\"ok\"})") == 3,
                $"the Prometheus of run.sh counts 3 ok requests. Output:\n{run.Output}", TimeSpan.FromSeconds(60));
            Assert.Equal(1, await prometheus.ScalarAsync($"sum(fibrpc_requests_total{{outcome=\"error\",error_type=\"{RpcErrorCodes.Negative}\"}})"));
            Assert.Equal(4, await prometheus.ScalarAsync("sum(fibrpc_processing_duration_seconds_count)"));
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
}

using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;

namespace FibRpc.IntegrationTests;

/// <summary>
/// A real Prometheus (the Debian package, scripts/bootstrap.sh test) on loopback, with a configuration written here,
/// scrapes fibrpc serve's /metrics; the requests are then queried back by outcome, as a dashboard would.
/// </summary>
public sealed class PrometheusScrapeTests(Broker broker) : BrokerTest(broker, "prometheus")
{
    private static string FibRpcDll => Path.Combine(AppContext.BaseDirectory, "FibRpc.Cli.dll");

    [InProcessFact]
    public async Task Prometheus_scrapes_serve_and_counts_the_requests_by_outcome()
    {
        var metricsPort = FreePort.Next();
        using var serve = new ChildProcess("dotnet", [FibRpcDll, "serve", "--queue", Queue, "--connection", Broker.Uri, "--metrics-port", $"{metricsPort}"]);
        using var prometheus = await PrometheusServer.StartAsync($"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: fibrpc
                static_configs:
                  - targets: ["localhost:{metricsPort}"]
            """);
        await Eventually.TrueAsync(async () => await Broker.ConsumerCountAsync(Queue) == 1, $"fibrpc serve consumes. Output:\n{serve.Output}");
        await using (var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = Queue }))
        {
            for (var n = 0; n < 4; n++)
            {
                await client.CallAsync(n * 1000);
            }

            await Assert.ThrowsAsync<FibRpcErrorReplyException>(() => client.CallRawAsync("-7"u8.ToArray()));
        }

        await Eventually.TrueAsync(async () => await prometheus.ScalarAsync("sum(messaging_process_duration_seconds_count{outcome=\"ok\"})") == 4,
            $"Prometheus has 4 ok requests. Prometheus:\n{prometheus.Output}\nserve:\n{serve.Output}", TimeSpan.FromSeconds(60));
        Assert.Equal(1, await prometheus.ScalarAsync($"sum(messaging_process_duration_seconds_count{{outcome=\"bad_request\",error_type=\"{RpcErrorCodes.Negative}\"}})"));
        Assert.Equal(5, await prometheus.ScalarAsync("sum(messaging_process_duration_seconds_count)"));
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await prometheus.StopAsync();
    }
}

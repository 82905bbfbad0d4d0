using System.Text.Json;
using System.Text.RegularExpressions;
using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using FibRpc.Topology;

namespace FibRpc.IntegrationTests;

/// <summary>
/// Every query of deploy/grafana/fibrpc-dashboard.json, run against a real Prometheus that scrapes with the compose
/// telemetry profile's own configuration (deploy/prometheus/prometheus.yml), must find data after known traffic:
/// the service's series and the broker's (rabbitmq_prometheus on a node of this test's own, where rpc_queue is the
/// real queue name). In compose the fibrpc job scrapes the OpenTelemetry Collector, which is not packaged for the
/// build machines; here `fibrpc serve --metrics-port` stands in for it: both serve the same instruments under the
/// OpenTelemetry-to-Prometheus naming rules.
/// </summary>
public sealed partial class PrometheusDashboardTests
{
    private const string Dashboard = "deploy/grafana/fibrpc-dashboard.json";
    private const string ScrapeConfig = "deploy/prometheus/prometheus.yml";

    /// <summary>The compose targets of <see cref="ScrapeConfig"/>, which this test points at its own processes.</summary>
    private const string CollectorTarget = "otel-collector:8889";
    private const string BrokerTarget = "rabbitmq:15692";

    /// <summary>What Grafana puts for $__rate_interval with a short scrape interval: a window holding several samples.</summary>
    private const string RateInterval = "30s";

    [InProcessFact]
    public async Task Every_dashboard_query_returns_series_from_serve_and_the_broker()
    {
        var brokerMetricsPort = FreePort.Next();
        await using var node = await BrokerNode.StartAsync("fibrpc-prom", new BrokerNodeOptions
        {
            Plugins = ["rabbitmq_prometheus"],
            ConfigLines = [$"prometheus.tcp.port = {brokerMetricsPort}", "prometheus.tcp.ip = 127.0.0.1"],
        });
        var uri = node.Uri.ToString();
        await using (var connection = await RabbitConnection.CreateFactory(uri, "dashboard-topology").CreateConnectionAsync())
        {
            await RpcTopology.DeclareAsync(connection, RpcNames.Queue);
        }

        var metricsPort = FreePort.Next();
        using var serve = new ChildProcess("dotnet", [FibRpcCli.Dll, "serve", "--queue", RpcNames.Queue, "--connection", uri, "--metrics-port", $"{metricsPort}"]);
        using var prometheus = await PrometheusServer.StartAsync(await ScrapeConfigForAsync($"localhost:{metricsPort}", $"127.0.0.1:{brokerMetricsPort}"));
        var jobs = Jobs(await RepositoryFiles.ReadAsync(ScrapeConfig));
        string Diagnostics() => $"Prometheus:\n{prometheus.Output}\nserve:\n{serve.Output}";

        // Every target of the shipped configuration up (the broker's paths and parameters included) before the
        // traffic, so that rates see it as an increase.
        foreach (var job in jobs)
        {
            await Eventually.TrueAsync(async () => await prometheus.ScalarAsync($"up{{job=\"{job}\"}}") == 1, $"Prometheus scrapes job {job}. {Diagnostics()}", TimeSpan.FromSeconds(30));
        }

        await using (var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = uri, RequestQueue = RpcNames.Queue }))
        {
            for (var n = 0; n < 4; n++)
            {
                await client.CallAsync(n * 1000);
            }

            await Assert.ThrowsAsync<FibRpcErrorReplyException>(() => client.CallRawAsync("-7"u8.ToArray()));
        }

        using var dashboard = JsonDocument.Parse(await RepositoryFiles.ReadAsync(Dashboard));
        var (variableMetric, variableLabel) = JobVariable(dashboard);
        IReadOnlyList<string> jobValues = [];
        await Eventually.TrueAsync(async () => (jobValues = await prometheus.LabelValuesAsync(variableLabel, variableMetric)).Count > 0,
            $"the dashboard's job variable has values (label_values({variableMetric}, {variableLabel})). {Diagnostics()}", TimeSpan.FromSeconds(30));

        // As Grafana does for a multi-value variable: the chosen values as an alternation.
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["$__rate_interval"] = RateInterval,
            ["$job"] = $"({string.Join('|', jobValues.Select(Regex.Escape))})",
        };
        var queries = Queries(dashboard, variables);
        Assert.True(queries.Count >= 8, $"{Dashboard} has {queries.Count} queries; expected the service's panels and the broker's");
        Assert.Contains(queries, q => q.Expr.Contains("rabbitmq_", StringComparison.Ordinal));

        var empty = queries.Select(q => q.Where).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (empty.Count > 0 && DateTime.UtcNow < deadline)
        {
            empty.Clear();
            foreach (var (where, expr) in queries)
            {
                if (await prometheus.QueryAsync(expr) is not { } result || result.GetArrayLength() == 0)
                {
                    empty.Add($"{where}: {expr}");
                }
            }

            await Task.Delay(500);
        }

        Assert.True(empty.Count == 0, $"queries of {Dashboard} without a series after the traffic:\n{string.Join('\n', empty)}\n{Diagnostics()}");
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await prometheus.StopAsync();
    }

    /// <summary>The shipped scrape configuration, its compose targets replaced by this test's processes, scraping every second.</summary>
    private static async Task<string> ScrapeConfigForAsync(string serveTarget, string brokerTarget)
    {
        var text = await RepositoryFiles.ReadAsync(ScrapeConfig);
        foreach (var expected in new[] { CollectorTarget, BrokerTarget, "scrape_interval: 15s" })
        {
            Assert.True(text.Contains(expected, StringComparison.Ordinal), $"{ScrapeConfig} no longer contains '{expected}': update this test");
        }

        return text
            .Replace(CollectorTarget, serveTarget, StringComparison.Ordinal)
            .Replace(BrokerTarget, brokerTarget, StringComparison.Ordinal)
            .Replace("scrape_interval: 15s", "scrape_interval: 1s", StringComparison.Ordinal);
    }

    private static List<string> Jobs(string scrapeConfig)
    {
        var jobs = JobName().Matches(scrapeConfig).Select(m => m.Groups[1].Value).ToList();
        Assert.True(jobs.Count >= 2, $"{ScrapeConfig}: expected the service's and the broker's jobs, found {string.Join(", ", jobs)}");
        return jobs;
    }

    /// <summary>The metric and label of the dashboard's job variable, label_values(metric, label).</summary>
    private static (string Metric, string Label) JobVariable(JsonDocument dashboard)
    {
        var job = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "job");
        var query = job.GetProperty("query").GetString() ?? "";
        var match = LabelValues().Match(query);
        Assert.True(match.Success, $"{Dashboard}: the job variable's query '{query}' is not label_values(metric, label)");
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    /// <summary>Every panel target's expression with the dashboard's variables put in; a variable this test does not know fails.</summary>
    private static List<(string Where, string Expr)> Queries(JsonDocument dashboard, IReadOnlyDictionary<string, string> variables)
    {
        var queries = new List<(string, string)>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var expr = target.GetProperty("expr").GetString() ?? "";
                foreach (var (name, value) in variables)
                {
                    expr = expr.Replace(name, value, StringComparison.Ordinal);
                }

                var where = $"panel '{panel.GetProperty("title").GetString()}' target {target.GetProperty("refId").GetString()}";
                Assert.False(expr.Contains('$', StringComparison.Ordinal), $"{Dashboard}, {where}: a variable this test does not substitute: {expr}");
                queries.Add((where, expr));
            }
        }

        return queries;
    }

    [GeneratedRegex(@"job_name:\s*(\S+)")]
    private static partial Regex JobName();

    [GeneratedRegex(@"^label_values\(\s*([A-Za-z_:][\w:]*)\s*,\s*(\w+)\s*\)$")]
    private static partial Regex LabelValues();
}

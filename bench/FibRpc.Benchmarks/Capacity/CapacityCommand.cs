using System.CommandLine;
using System.Globalization;
using System.Text;
using FibRpc.Benchmarks.Plan;
using FibRpc.Benchmarks.Report;
using FibRpc.Contract;
using RabbitMQ.Client;

namespace FibRpc.Benchmarks.Capacity;

/// <summary>The options of <c>capacity</c>; every default is what docs/scaling.md was generated with.</summary>
/// <param name="Fibrpc">The fibrpc that serves; null for the one built from this tree.</param>
internal sealed record CapacitySettings(IReadOnlyList<string> Brokers, int Rounds, double Seconds, double Warmup, string? Fibrpc, string Connection)
{
    public string ConnectionOf(string brokers) =>
        brokers == "cluster" ? "amqp://guest:guest@127.0.0.1:5681/,amqp://guest:guest@127.0.0.1:5682/,amqp://guest:guest@127.0.0.1:5683/" : Connection;
}

/// <summary>
/// <c>capacity [options]</c>: the worker table of docs/scaling.md (method described there), one <c>fibrpc bench</c> run
/// per broker setup, number of workers, workload and concurrency, round after round in alternating order.
/// </summary>
internal static class CapacityCommand
{
    /// <summary>
    /// The workloads: F(10) is a table lookup, the time is all broker round trips; F(10^6), about 209,000 digits, is
    /// computed anew every time (the cache is off).
    /// </summary>
    private static readonly int[] Workloads = [10, 1_000_000];

    /// <summary>The numbers of <c>fibrpc serve</c> workers (prefetch 1 each), and of calls in flight.</summary>
    private static readonly int[] Workers = [1, 2], Concurrency = [1, 4];

    public static Command Create()
    {
        var brokers = BenchOptions.With("--brokers", new[] { "single", "cluster" }, "Broker setups: single (--connection) and/or cluster (--cluster)").AcceptOnlyFromAmong("single", "cluster");
        brokers.AllowMultipleArgumentsPerToken = true;
        var (rounds, seconds, warmup) = BenchOptions.Rounds(3, 6.0, 2.0, "Rounds, in alternating order");
        var fibrpc = new Option<FileInfo>("--fibrpc") { Description = "The fibrpc that serves (e.g. artifacts/fibrpc/FibRpc.Cli from scripts/publish.sh). Default: the one built from this tree" }.AcceptExistingOnly();
        var connection = BenchOptions.Connection();
        var command = new Command("capacity", "The worker table of docs/scaling.md: 1..k fibrpc serve on the single node and on the cluster, small and large n; prints the markdown table.")
        {
            brokers, rounds, seconds, warmup, fibrpc, connection,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(new CapacitySettings(parseResult.GetValue(brokers)!, parseResult.GetValue(rounds), parseResult.GetValue(seconds),
            parseResult.GetValue(warmup), parseResult.GetValue(fibrpc)?.FullName, parseResult.Broker(connection)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CapacitySettings settings, CancellationToken stop)
    {
        var connections = new Dictionary<string, IConnection>();
        try
        {
            foreach (var brokers in settings.Brokers.Distinct())
            {
                var hint = brokers == "cluster" ? "scripts/cluster.sh start" : "scripts/broker.sh start";
                if (await Rig.ConnectAsync(settings.ConnectionOf(brokers), "fibrpc-bench-capacity", hint, line => Say($"{brokers}: {line}"), stop).ConfigureAwait(false) is not { } connection)
                {
                    return 2;
                }

                connections[brokers] = connection;
            }

            using var rig = new Rig("capacity");
            Say("building fibrpc (Release)");
            await rig.BuildFibrpcAsync("build", rig.Root).ConfigureAwait(false);
            var fibrpc = settings.Fibrpc ?? rig.Fibrpc;

            var setups = (from brokers in connections.Keys from workers in Workers select (brokers, workers)).ToArray();
            var runs = await Stats.AlternatingAsync(setups, settings.Rounds,
                (setup, round) => MeasureSetupAsync(settings, rig, fibrpc, connections[setup.brokers], setup.brokers, setup.workers, round, stop)).ConfigureAwait(false);
            var table = Table(new ResultSet([.. runs.Values.SelectMany(setup => setup.SelectMany(round => round))]), settings, connections.Keys);
            await File.WriteAllTextAsync(Path.Combine(rig.Output, "capacity.md"), table, stop).ConfigureAwait(false);
            Console.WriteLine(table);
            Say($"results in {rig.Output}");
            return 0;
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<List<RunResult>> MeasureSetupAsync(CapacitySettings settings, Rig rig, string fibrpc, IConnection admin, string brokers, int workers, int round,
        CancellationToken stop)
    {
        var queue = $"capacity.{brokers}";
        var environment = new Dictionary<string, string> { [RpcNames.ConnectionSetting] = settings.ConnectionOf(brokers) };
        // Every request is computed: a cached F(10^6) would measure the cache, not the service.
        var serveEnvironment = new Dictionary<string, string>(environment) { ["FibRpc__CacheBytes"] = "0" };
        var serves = new List<ChildProcess>();
        var runs = new List<RunResult>();
        try
        {
            await rig.StartAsync(admin, queue, workers, i => new ChildProcess(fibrpc, ["serve", "--queue", queue], serveEnvironment,
                Path.Combine(rig.Logs, $"serve-{brokers}-w{workers}-{i}-r{round}.log")), serves, environment, stop).ConfigureAwait(false);
            foreach (var n in Workloads)
            {
                foreach (var concurrency in Concurrency)
                {
                    var name = $"{brokers}-w{workers}-n{n}-c{concurrency}";
                    var run = await rig.MeasureAsync(name, round, serves, ["--queue", queue, "--n", n.ToString(CultureInfo.InvariantCulture), "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture)],
                        settings.Warmup, settings.Seconds, environment, stop).ConfigureAwait(false);
                    if (run.Bench == RunResult.Nothing)
                    {
                        throw new InvalidOperationException($"{name}: fibrpc bench gave no result (exit {run.Proc.ExitCode}); see {Path.Combine(rig.Logs, $"{name}.r{round}.log")}");
                    }

                    Say(string.Create(CultureInfo.InvariantCulture, $"round {round}: {brokers}, {workers} worker(s), n={n}, C={concurrency}: {run.Bench.RequestsPerSecond:0} req/s, "
                        + $"p50 {run.LatencyMs[0]:0.00} ms, p99 {run.LatencyMs[2]:0.00} ms, machine {run.MachineBusyShare * 100:0}% busy{(run.Bench.Failures > 0 ? $", {run.Bench.Failures} failures" : "")}"));
                    runs.Add(run);
                }
            }
        }
        finally
        {
            await Rig.StopAsync(serves).ConfigureAwait(false);
        }

        return runs;
    }

    /// <summary>The runs as the markdown table of docs/scaling.md: medians over the rounds, one row per setting.</summary>
    private static string Table(ResultSet results, CapacitySettings settings, IEnumerable<string> brokerSetups)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Medians of {settings.Rounds} rounds of {settings.Seconds} s (after {settings.Warmup} s of warm-up), rounds in alternating order; the result cache off.");
        table.AppendLine();
        table.AppendLine("| brokers | workers | n | C | req/s | p50 ms | p99 ms | serve CPU µs/req | machine busy | failures |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (brokers, n, workers, concurrency) in from b in brokerSetups from n in Workloads from w in Workers from c in Concurrency select (b, n, w, c))
        {
            var name = $"{brokers}-w{workers}-n{n}-c{concurrency}";
            table.AppendLine(CultureInfo.InvariantCulture, $"| {brokers} | {workers} | {n} | {concurrency} | {results.Median(name, r => r.Bench.RequestsPerSecond):0} | "
                + $"{results.Median(name, r => r.LatencyMs[0]):0.00} | {results.Median(name, r => r.LatencyMs[2]):0.00} | {results.Median(name, r => r.ServerCpuMicrosecondsPerRequest):0} | "
                + $"{results.Median(name, r => r.MachineBusyShare * 100):0}% | {results.Of(name).Sum(r => r.Bench.Failures)} |");
        }

        return table.ToString();
    }

    private static void Say(string line) => Console.Error.WriteLine("capacity: " + line);
}

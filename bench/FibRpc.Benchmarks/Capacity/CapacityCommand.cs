using System.CommandLine;
using System.Globalization;
using FibRpc.Benchmarks.Plan;
using FibRpc.Benchmarks.Report;
using FibRpc.Messaging;

namespace FibRpc.Benchmarks.Capacity;

/// <summary>
/// <c>capacity [options]</c>: the worker table of docs/scaling.md. For each broker setup (the single node, the
/// three-node cluster of scripts/cluster.sh), each number of <c>fibrpc serve</c> workers (prefetch 1 each, the
/// result cache off so that every large request is computed) and each workload and concurrency, one
/// <c>fibrpc bench</c> run, round after round in alternating order; prints the medians with serve's CPU per request
/// and how busy the whole machine was, and keeps every run's JSON.
/// </summary>
internal static class CapacityCommand
{
    public static Command Create()
    {
        var brokers = BenchOptions.With("--brokers", new[] { "single", "cluster" }, "Broker setups, comma-separated: single (--connection) and/or cluster (--cluster)");
        brokers.CustomParser = result =>
        {
            string[] values = [.. result.Tokens.SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
            if (values.Length == 0 || values.Any(value => value is not ("single" or "cluster")))
            {
                result.AddError("--brokers lists single and/or cluster, separated by commas");
            }

            return values;
        };
        var workers = BenchOptions.Counts("--workers", [1, 2], "Numbers of fibrpc serve workers (prefetch 1 each), comma-separated");
        var concurrency = BenchOptions.Counts("--concurrency", [1, 4], "Calls in flight, comma-separated");
        var smallN = BenchOptions.With("--small-n", 10, "The round-trip-bound workload's n").AtLeast(0);
        var largeN = BenchOptions.With("--large-n", 1_000_000, "The compute-bound workload's n").AtLeast(0);
        var rounds = BenchOptions.With("--rounds", 3, "Rounds, in alternating order").AtLeast(1);
        var seconds = BenchOptions.With("--seconds", 6.0, "Measured seconds of each run").AtLeast(0.1);
        var warmup = BenchOptions.With("--warmup", 2.0, "Warm-up seconds of each run").AtLeast(0);
        var fibrpc = new Option<FileInfo?>("--fibrpc") { Description = "The fibrpc that serves (e.g. artifacts/fibrpc/FibRpc.Cli from scripts/publish.sh). Default: the one built from this tree" };
        var noBuild = new Option<bool>("--no-build") { Description = "Use the fibrpc already built from this tree (the load generator, and serve unless --fibrpc) as it is" };
        var connection = BenchOptions.Connection();
        var cluster = BenchOptions.With("--cluster", CapacitySettings.ClusterDefault, "The cluster's nodes, comma-separated (scripts/cluster.sh's by default)");
        var command = new Command("capacity", "The worker table of docs/scaling.md: 1..k fibrpc serve on the single node and on the cluster, small and large n; prints the markdown table.")
        {
            brokers, workers, concurrency, smallN, largeN, rounds, seconds, warmup, fibrpc, noBuild, connection, cluster,
        };
        command.SetAction(parseResult => RunAsync(new CapacitySettings(parseResult.GetValue(brokers)!, parseResult.GetValue(workers)!, parseResult.GetValue(concurrency)!,
            parseResult.GetValue(smallN), parseResult.GetValue(largeN), parseResult.GetValue(rounds), parseResult.GetValue(seconds), parseResult.GetValue(warmup),
            parseResult.GetValue(fibrpc)?.FullName, parseResult.GetValue(noBuild), parseResult.Broker(connection), parseResult.GetValue(cluster)!)));
        return command;
    }

    private static async Task<int> RunAsync(CapacitySettings settings)
    {
        if (BenchOptions.NotLoopback([.. settings.Brokers.Select(settings.ConnectionOf)]) is { } remote)
        {
            Say(remote);
            return 2;
        }

        var root = BenchOptions.RepositoryRoot();
        var output = BenchOptions.NewResultsDirectory("capacity");
        var logs = Directory.CreateDirectory(Path.Combine(output, "logs")).FullName;
        var tools = new Tools(root, logs, new Dictionary<string, string>());
        if (!settings.NoBuild)
        {
            Say("building fibrpc (Release)");
            await tools.RunAsync("build", "dotnet", ["build", Path.Combine(root, "FibRpc.Cli"), "-c", "Release", "-nologo", "-v", "q"]).ConfigureAwait(false);
        }

        var fibrpc = settings.Fibrpc ?? tools.Fibrpc;
        foreach (var program in new[] { fibrpc, tools.Fibrpc }.Distinct())
        {
            if (!File.Exists(program))
            {
                Say($"{program} is missing: build it (dotnet build FibRpc.Cli -c Release, or scripts/publish.sh for --fibrpc)");
                return 2;
            }
        }

        foreach (var brokers in settings.Brokers)
        {
            if (await UnreachableAsync(settings.ConnectionOf(brokers)).ConfigureAwait(false) is { } why)
            {
                Say($"{brokers}: {why}; start it with {(brokers == "cluster" ? "scripts/cluster.sh start" : "scripts/broker.sh start")}");
                return 2;
            }
        }

        var runs = new List<CapacityRun>();
        var setups = (from brokers in settings.Brokers from workers in settings.Workers select (brokers, workers)).ToArray();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            // Odd rounds forward, even rounds backward: neither end of the table always runs on a fresher machine.
            foreach (var (brokers, workers) in round % 2 == 1 ? setups : setups.Reverse())
            {
                runs.AddRange(await MeasureSetupAsync(settings, tools, fibrpc, brokers, workers, round, output).ConfigureAwait(false));
            }
        }

        var table = CapacityTable.Render(runs, settings);
        await File.WriteAllTextAsync(Path.Combine(output, "capacity.md"), table).ConfigureAwait(false);
        Console.WriteLine(table);
        Say($"results in {output}");
        return 0;
    }

    private static async Task<List<CapacityRun>> MeasureSetupAsync(CapacitySettings settings, Tools tools, string fibrpc, string brokers, int workers, int round, string output)
    {
        var connection = settings.ConnectionOf(brokers);
        var queue = $"capacity.{brokers}";
        var environment = new Dictionary<string, string>
        {
            [FibRpc.Contract.RpcNames.ConnectionSetting] = connection,
            // Every request is computed: a cached F(10^6) would measure the cache, not the service.
            ["FibRpc__CacheBytes"] = "0",
        };
        await tools.RunAsync($"topology-{brokers}", fibrpc, ["topology", "--queue", queue, "--connection", connection, "--policies", "none"]).ConfigureAwait(false);

        var serves = new List<ChildProcess>();
        var stop = TimeSpan.FromSeconds(5);
        var runs = new List<CapacityRun>();
        try
        {
            for (var i = 0; i < workers; i++)
            {
                serves.Add(new ChildProcess(fibrpc, ["serve", "--queue", queue, "--connection", connection], environment,
                    Path.Combine(tools.Logs, $"serve-{brokers}-w{workers}-{i}-r{round}.log")));
            }

            await using (var admin = await RabbitConnection.CreateFactory(connection, "fibrpc-bench-capacity").CreateConnectionAsync().ConfigureAwait(false))
            {
                await ConsumerReadiness.WaitAsync(admin, queue, (uint)workers, () => serves.Select(s => s.WhyNotRunning()).FirstOrDefault(w => w is not null),
                    TimeSpan.FromSeconds(60), CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var n in new[] { settings.SmallN, settings.LargeN })
            {
                foreach (var concurrency in settings.Concurrency)
                {
                    runs.Add(await BenchAsync(settings, tools, serves, brokers, workers, n, concurrency, round, queue, connection, output).ConfigureAwait(false));
                }
            }
        }
        finally
        {
            foreach (var serve in serves)
            {
                await serve.StopAsync(stop).ConfigureAwait(false);
                serve.Dispose();
            }
        }

        return runs;
    }

    private static async Task<CapacityRun> BenchAsync(CapacitySettings settings, Tools tools, List<ChildProcess> serves, string brokers, int workers, int n,
        int concurrency, int round, string queue, string connection, string output)
    {
        var name = $"{brokers}-w{workers}-n{n}-c{concurrency}.r{round}";
        var serveCpu = Sum(serves);
        var machine = CpuReadings.Machine();
        using var bench = new ChildProcess(tools.Fibrpc,
        [
            "bench", "--queue", queue, "--connection", connection, "--n", n.ToString(CultureInfo.InvariantCulture),
            "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
            "--warmup", settings.Warmup.ToString(CultureInfo.InvariantCulture), "--duration", settings.Seconds.ToString(CultureInfo.InvariantCulture),
            "--json", "--no-progress",
        ],
        // The load generator's idle workers sleep instead of spinning on the cores the workers and brokers need.
        new Dictionary<string, string> { ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0" },
        Path.Combine(tools.Logs, name + ".log"));
        var exitCode = await bench.WaitForExitAsync(TimeSpan.FromSeconds(settings.Warmup + settings.Seconds + 120)).ConfigureAwait(false);
        var json = bench.StandardOutput;
        var serveCpuUsed = Sum(serves) - serveCpu;
        var machineAfter = CpuReadings.Machine();
        await File.WriteAllTextAsync(Path.Combine(output, name + ".json"), json).ConfigureAwait(false);

        if (RunResult.ParseBench(json) is not { } r)
        {
            throw new InvalidOperationException($"{name}: fibrpc bench gave no result (exit {exitCode}); see {Path.Combine(tools.Logs, name + ".log")}");
        }

        var replies = r.Replies + r.WarmupReplies;
        var run = new CapacityRun(brokers, workers, n, concurrency, round, r.RequestsPerSecond, r.LatencyMs.P50, r.LatencyMs.P99,
            replies == 0 ? 0 : serveCpuUsed.TotalMicroseconds / replies,
            machineAfter.Total == machine.Total ? 0 : 100.0 * (machineAfter.Busy - machine.Busy) / (machineAfter.Total - machine.Total),
            r.Failures);
        Say(string.Create(CultureInfo.InvariantCulture, $"round {round}: {brokers}, {workers} worker(s), n={n}, C={concurrency}: {run.RequestsPerSecond:0} req/s, p50 {run.P50Ms:0.00} ms, p99 {run.P99Ms:0.00} ms, machine {run.MachineBusyPercent:0}% busy{(run.Failures > 0 ? $", {run.Failures} failures" : "")}"));
        return run;
    }

    private static TimeSpan Sum(IEnumerable<ChildProcess> processes) =>
        processes.Aggregate(TimeSpan.Zero, (total, p) => total + p.CpuTime);

    private static async Task<string?> UnreachableAsync(string connection)
    {
        try
        {
            await using var probe = await RabbitConnection.CreateFactory(connection, "fibrpc-bench-capacity").CreateConnectionAsync().ConfigureAwait(false);
            return null;
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException error)
        {
            return $"no broker at {BrokerUri.Redact(connection)} ({error.Message})";
        }
    }

    private static void Say(string line) => Console.Error.WriteLine("capacity: " + line);
}

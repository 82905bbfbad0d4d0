using System.CommandLine;
using System.Globalization;
using System.Text;
using FibRpc.Benchmarks.Report;
using FibRpc.Messaging;
using RabbitMQ.Client;

namespace FibRpc.Benchmarks.Plan;

/// <summary>The options of <c>plan</c>; every default is what docs/benchmarks.md was generated with.</summary>
/// <param name="Sustain">Length of the sustained phase (CPU per request, resident memory of serve); 0 leaves it out.</param>
/// <param name="BaselineRef">A git ref to build <c>fibrpc serve</c> from and measure side by side (before/after).</param>
/// <param name="ClientSpinLimit">Thread-pool spin limit of the load generator; null keeps the runtime's default.</param>
/// <param name="Only">Only these measurements (and only their consumers); null runs the whole plan.</param>
internal sealed record PlanSettings(int Rounds, double Seconds, double Warmup, double Sustain, string Mix, string? BaselineRef, string? ClientSpinLimit,
    IReadOnlySet<string>? Only, string? Out, bool NoBuild, string Connection);

/// <summary>
/// <c>plan [options]</c>: the RPC benchmarks in one run. Builds fibrpc, starts every consumer of the
/// <see cref="RunPlan"/> as a child process and waits until the broker counts it on its queue, runs <c>fibrpc bench</c>
/// against each, round after round in alternating order, reading the CPU of the consumers, the broker and the machine
/// around every run, then a sustained phase on one serve, and prints the report (<see cref="ReportCommand"/>).
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var rounds = BenchOptions.With("--rounds", 3, "Rounds; each runs every measurement once, odd rounds forward, even rounds backward").AtLeast(1);
        var seconds = BenchOptions.With("--seconds", 5.0, "Measured seconds of each run").AtLeast(0.1);
        var warmup = BenchOptions.With("--warmup", 1.0, "Warm-up seconds of each run, not counted").AtLeast(0);
        var sustain = BenchOptions.With("--sustain", 20.0, "Seconds of the sustained phase on one serve (CPU per request, resident memory); 0 leaves it out").AtLeast(0);
        var mix = BenchOptions.With("--mix", "10:90,100000:10", "The n:weight mix of the svc-mix-c32 measurement");
        var baselineRef = new Option<string?>("--baseline-ref") { Description = "Also measure serve built from this git ref, side by side (before/after)" };
        var clientSpinLimit = BenchOptions.With("--client-spin-limit", "0", "Thread-pool spin limit of the load generator (DOTNET_ThreadPool_UnfairSemaphoreSpinLimit), or 'default'");
        var only = new Option<string?>("--only") { Description = "Only these measurements, comma-separated (e.g. svc-n10-c32,ceilc-n10-c32), and only their consumers" };
        var output = new Option<string?>("--out") { Description = "Results directory. Default: artifacts/bench/<UTC time>" };
        var noBuild = new Option<bool>("--no-build") { Description = "Use the fibrpc already built (FibRpc.Cli, Release) as it is" };
        var connection = BenchOptions.Connection();
        var command = new Command("plan", "The RPC benchmarks side by side in one run (docs/benchmarks.md, RPC throughput): serve against the ceilings, scale-out, "
            + "thread-pool variants, a baseline build; prints the report section and keeps the raw results.")
        {
            rounds, seconds, warmup, sustain, mix, baselineRef, clientSpinLimit, only, output, noBuild, connection,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new PlanSettings(parseResult.GetValue(rounds), parseResult.GetValue(seconds), parseResult.GetValue(warmup), parseResult.GetValue(sustain),
                parseResult.GetValue(mix)!, parseResult.GetValue(baselineRef), parseResult.GetValue(clientSpinLimit) is "default" ? null : parseResult.GetValue(clientSpinLimit),
                parseResult.GetValue(only)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(),
                parseResult.GetValue(output), parseResult.GetValue(noBuild), parseResult.Broker(connection)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(PlanSettings settings, CancellationToken stop)
    {
        if (BenchOptions.NotLoopback(settings.Connection) is { } why)
        {
            Say(why);
            return 2;
        }

        var root = BenchOptions.RepositoryRoot();
        var output = Path.GetFullPath(settings.Out ?? BenchOptions.NewResultsDirectory("bench"));
        var logs = Directory.CreateDirectory(Path.Combine(output, "logs")).FullName;
        var childEnvironment = new Dictionary<string, string> { [FibRpc.Contract.RpcNames.ConnectionSetting] = settings.Connection };
        var tools = new Tools(root, logs, childEnvironment);

        if (!settings.NoBuild)
        {
            Say("building fibrpc (Release)");
            await tools.RunAsync("build", "dotnet", ["build", Path.Combine(root, "FibRpc.Cli"), "-c", "Release", "-nologo", "-v", "q"]).ConfigureAwait(false);
        }

        string? baselineFibrpc = null;
        if (settings.BaselineRef is { } reference)
        {
            baselineFibrpc = await BuildBaselineAsync(tools, reference, output).ConfigureAwait(false);
        }

        var layout = RunPlan.CreateLayout(baselineFibrpc);
        var plan = RunPlan.Measurements(layout, settings.Mix).Where(m => settings.Only?.Contains(m.Name) ?? true).ToArray();
        if (plan.Length == 0)
        {
            Say("nothing to measure: --only names none of " + string.Join(", ", RunPlan.Measurements(layout, settings.Mix).Select(m => m.Name)));
            return 2;
        }

        IConnection connection;
        try
        {
            connection = await RabbitConnection.CreateFactory(settings.Connection, "fibrpc-bench-plan").CreateConnectionAsync(stop).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            Say($"no broker at {BrokerUri.Redact(settings.Connection)} ({error.Message}); start one with scripts/broker.sh start");
            return 2;
        }

        await using (connection.ConfigureAwait(false))
        {
            var groups = plan.Select(m => m.Target).Distinct().ToArray();
            var session = new Session(settings, tools, output, logs, plan, groups);
            try
            {
                await session.RunAsync(connection, stop).ConfigureAwait(false);
            }
            finally
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            await WriteEnvironmentAsync(tools, settings, output, connection, session.StartLoad).ConfigureAwait(false);
        }

        Say($"results in {output}");
        await ReportCommand.RunAsync(output).ConfigureAwait(false);
        var results = new ResultSet(RunResult.LoadAll(output));
        if (results.Failed.Any())
        {
            Say("runs with wrong answers, error replies, timeouts or a failed bench: " + string.Join(", ", results.Failed));
            return 1;
        }

        return 0;
    }

    public static void Say(string line) => Console.Error.WriteLine("plan: " + line);

    private static async Task<string> BuildBaselineAsync(Tools tools, string reference, string output)
    {
        Say($"building the baseline serve from {reference}");
        var source = Path.Combine(output, "baseline-src");
        Directory.CreateDirectory(source);
        var archive = Path.Combine(output, "baseline.tar");
        await tools.RunAsync("baseline-archive", "git", ["-C", tools.Root, "archive", "-o", archive, reference]).ConfigureAwait(false);
        await tools.RunAsync("baseline-extract", "tar", ["-xf", archive, "-C", source]).ConfigureAwait(false);
        await tools.RunAsync("baseline-build", "dotnet", ["build", Path.Combine(source, "FibRpc.Cli"), "-c", "Release", "-nologo", "-v", "q"]).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(output, "baseline.txt"), (await tools.OutputOfAsync("git", ["-C", tools.Root, "rev-parse", "--short", reference]).ConfigureAwait(false)).Trim()).ConfigureAwait(false);
        // Older trees named the apphost fibrpc; newer ones keep the project's name.
        var older = Path.Combine(source, "FibRpc.Cli", "bin", "Release", "net10.0", "fibrpc");
        return File.Exists(older) ? older : Tools.FibrpcIn(source);
    }

    private static async Task WriteEnvironmentAsync(Tools tools, PlanSettings settings, string output, IConnection connection, string loadAverage)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var version = connection.ServerProperties?.TryGetValue("version", out var v) == true && v is byte[] bytes ? Encoding.UTF8.GetString(bytes) : "?";
        var commit = (await tools.OutputOfAsync("git", ["-C", tools.Root, "rev-parse", "--short", "HEAD"]).ConfigureAwait(false)).Trim();
        var changed = (await tools.OutputOfAsync("git", ["-C", tools.Root, "status", "--porcelain", "--untracked-files=no"]).ConfigureAwait(false)).Length > 0;
        string[] lines =
        [
            $"date={DateTime.UtcNow:yyyy-MM-ddTHH:mm}Z",
            $"cpu={cpu} x {Environment.ProcessorCount}",
            $"dotnet={Environment.Version}",
            $"rabbitmq={version}",
            $"commit={commit}{(changed ? "+changes" : "")}",
            $"rounds={settings.Rounds}",
            string.Create(CultureInfo.InvariantCulture, $"seconds={settings.Seconds}"),
            string.Create(CultureInfo.InvariantCulture, $"warmup={settings.Warmup}"),
            string.Create(CultureInfo.InvariantCulture, $"sustain={settings.Sustain}"),
            $"mix={settings.Mix}",
            $"loadavg={loadAverage}",
            $"clientspinlimit={settings.ClientSpinLimit ?? "default"}",
        ];
        await File.WriteAllLinesAsync(Path.Combine(output, "env.txt"), lines).ConfigureAwait(false);
    }
}

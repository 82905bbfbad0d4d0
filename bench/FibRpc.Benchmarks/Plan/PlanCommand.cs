using System.Globalization;
using System.Text;
using System.Text.Json;
using FibRpc.Benchmarks.Report;
using FibRpc.Messaging;
using RabbitMQ.Client;

namespace FibRpc.Benchmarks.Plan;

/// <summary>
/// <c>plan [options]</c>: the RPC benchmarks in one run. Builds fibrpc, starts every consumer of the
/// <see cref="RunPlan"/> as a child process and waits until the broker counts it on its queue, runs <c>fibrpc bench</c>
/// against each, round after round in alternating order, reading the CPU of the consumers, the broker and the machine
/// around every run, then a sustained phase on one serve, and writes the report into docs/benchmarks.md.
/// </summary>
internal static class PlanCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (PlanSettings.Parse(args) is not { } settings)
        {
            return 2;
        }

        var root = RepositoryRoot();
        var output = Path.GetFullPath(settings.Out ?? Path.Combine(root, "artifacts", "bench", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)));
        var logs = Directory.CreateDirectory(Path.Combine(output, "logs")).FullName;
        var childEnvironment = new Dictionary<string, string> { [FibRpc.Contract.RpcNames.ConnectionSetting] = settings.Connection };
        var tools = new Tools(root, logs, childEnvironment);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

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
            connection = await RabbitConnection.CreateFactory(settings.Connection, "fibrpc-bench-plan").CreateConnectionAsync(stop.Token).ConfigureAwait(false);
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
                await session.RunAsync(connection, stop.Token).ConfigureAwait(false);
            }
            finally
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            await WriteEnvironmentAsync(tools, settings, output, connection, session.StartLoad).ConfigureAwait(false);
        }

        Say($"results in {output}");
        List<string> report = ["--results", output];
        if (!settings.NoDocs)
        {
            report.AddRange(["--markdown", Path.Combine(root, "docs", "benchmarks.md"), "--svg", Path.Combine(root, "docs", "benchmarks-rpc-latency.svg")]);
        }

        var reported = await ReportCommand.RunAsync([.. report]).ConfigureAwait(false);
        var results = new ResultSet(RunResult.LoadAll(output));
        if (results.Failed.Any())
        {
            Say("runs with wrong answers, error replies, timeouts or a failed bench: " + string.Join(", ", results.Failed));
            return 1;
        }

        return reported;
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

    /// <summary>The directory holding FibRpc.slnf, from the working directory up, else from this program's.</summary>
    internal static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "FibRpc.slnf")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("run the benchmarks inside the repository (no FibRpc.slnf found above the working directory)");
    }

    /// <summary>Reads requestsPerSecond from a bench result, for the progress lines.</summary>
    public static string RateOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("requestsPerSecond").GetDouble().ToString("0", CultureInfo.InvariantCulture);
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "?";
        }
    }
}

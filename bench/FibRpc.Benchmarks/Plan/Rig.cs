using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FibRpc.Benchmarks.Report;
using FibRpc.Messaging;
using RabbitMQ.Client;

namespace FibRpc.Benchmarks.Plan;

/// <summary>
/// What plan and capacity share: a results directory (artifacts/KIND/UTC time) with its logs, the programs they run,
/// consumers started as child processes, and <c>fibrpc bench</c> runs with the CPU of the consumers, the broker and the
/// machine read around each, kept as NAME.rROUND.json and NAME.rROUND.proc.json (what <see cref="RunResult"/> reads).
/// </summary>
internal sealed class Rig : IDisposable
{
    /// <summary>The longest a build, a git command or a topology declaration may take.</summary>
    private static readonly TimeSpan LongestStep = TimeSpan.FromMinutes(20);

    private readonly Process? _broker = Process.GetProcessesByName("beam.smp").FirstOrDefault();

    public Rig(string kind)
    {
        Output = Path.Combine(Root, "artifacts", kind, DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        Logs = Directory.CreateDirectory(Path.Combine(Output, "logs")).FullName;
    }

    public string Root { get; } = RepositoryRoot();

    public string Output { get; }

    public string Logs { get; }

    /// <summary>The fibrpc built from this tree by <c>dotnet build -c Release</c> (the apphost keeps the project's name).</summary>
    public string Fibrpc => FibrpcIn(Root);

    /// <summary>This program, which also runs the ceiling reference consumers.</summary>
    public static string Benchmarks => Path.Combine(AppContext.BaseDirectory, "FibRpc.Benchmarks");

    public static string FibrpcIn(string tree) => Path.Combine(tree, "FibRpc.Cli", "bin", "Release", "net10.0", "FibRpc.Cli");

    /// <summary>
    /// A connection to the broker, or null once <paramref name="say"/> has been told why not. Only a loopback broker is
    /// measured: CPU is read from /proc, which says nothing about a broker elsewhere.
    /// </summary>
    public static async Task<IConnection?> ConnectAsync(string uri, string name, string startHint, Action<string> say, CancellationToken cancellationToken)
    {
        if (uri.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(one => !Uri.TryCreate(one, UriKind.Absolute, out var parsed) || !parsed.IsLoopback) is { } remote)
        {
            say($"only a loopback broker is measured, not {BrokerUri.Redact(remote)}");
            return null;
        }

        try
        {
            return await RabbitConnection.CreateFactory(uri, name).CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException error)
        {
            say($"no broker at {BrokerUri.Redact(uri)} ({error.Message}); start it with {startHint}");
            return null;
        }
    }

    /// <summary>Runs a program to completion (its output in NAME.log) and returns its standard output; fails with its output when it exits with an error.</summary>
    public async Task<string> RunAsync(string name, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var child = new ChildProcess(program, arguments, environment, Path.Combine(Logs, name + ".log"));
        return await child.WaitForExitAsync(LongestStep).ConfigureAwait(false) == 0 ? child.StandardOutput
            : throw new InvalidOperationException($"{name} failed (exit {child.ExitCode}):{Environment.NewLine}{child.Output}");
    }

    public Task BuildFibrpcAsync(string name, string tree) =>
        RunAsync(name, "dotnet", ["build", Path.Combine(tree, "FibRpc.Cli"), "-c", "Release", "-nologo", "-v", "q"]);

    /// <summary>
    /// Declares the queue with <c>fibrpc topology</c>, starts <paramref name="count"/> consumers (into
    /// <paramref name="children"/>, which the caller stops) and waits until the broker counts them on it.
    /// </summary>
    public async Task StartAsync(IConnection connection, string queue, int count, Func<int, ChildProcess> start, List<ChildProcess> children,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        await RunAsync("topology-" + queue, Fibrpc, ["topology", "--queue", queue], environment).ConfigureAwait(false);

        // Consumers left over from an interrupted run would be counted as ready and take part of the load.
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var already = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false)).ConsumerCount;
            if (already > 0)
            {
                throw new InvalidOperationException($"'{queue}' already has {already} consumer(s) that this run did not start; stop them first");
            }
        }

        for (var i = 1; i <= count; i++)
        {
            children.Add(start(i));
        }

        await ConsumerReadiness.WaitAsync(connection, queue, (uint)count,
            () => children.Select(child => child.WhyNotRunning()).FirstOrDefault(reason => reason is not null), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SIGTERM, so that the consumers close their channels as they would in production.</summary>
    public static async Task StopAsync(IEnumerable<ChildProcess> children)
    {
        foreach (var child in children)
        {
            await child.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            child.Dispose();
        }
    }

    /// <summary>One recorded run: the bench's JSON, and the CPU of the queue's consumers, the broker and the machine over it.</summary>
    public async Task<RunResult> MeasureAsync(string name, int round, IReadOnlyList<ChildProcess> consumers, IEnumerable<string> benchArguments,
        double warmup, double seconds, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var consumersBefore = consumers.Sum(child => child.CpuTime.Ticks);
        var brokerBefore = CpuOf(_broker);
        var machineBefore = MachineJiffies();
        var (exitCode, json) = await BenchAsync(benchArguments, warmup, seconds, environment, $"{name}.r{round}", cancellationToken).ConfigureAwait(false);
        var consumersCpu = TimeSpan.FromTicks(consumers.Sum(child => child.CpuTime.Ticks) - consumersBefore);
        var brokerCpu = CpuOf(_broker) - brokerBefore;
        var machineAfter = MachineJiffies();

        var proc = new ProcJson(exitCode, 1_000_000, consumers.Count, (long)consumersCpu.TotalMicroseconds, (long)brokerCpu.TotalMicroseconds,
            machineAfter.Busy - machineBefore.Busy, machineAfter.Total - machineBefore.Total);
        var file = Path.Combine(Output, $"{name}.r{round}");
        await File.WriteAllTextAsync(file + ".json", json, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(file + ".proc.json", JsonSerializer.Serialize(proc, RunResult.Json), cancellationToken).ConfigureAwait(false);
        return new RunResult(name, round, RunResult.ParseBench(json) ?? RunResult.Nothing, proc);
    }

    public async Task<(int ExitCode, string Json)> BenchAsync(IEnumerable<string> arguments, double warmup, double seconds,
        IReadOnlyDictionary<string, string> environment, string log, CancellationToken cancellationToken)
    {
        // On two shared cores the load generator's spin-waiting takes CPU from the processes measured: its idle
        // workers sleep instead, and every target is measured by the same client.
        var withSpinLimit = new Dictionary<string, string>(environment) { ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0" };
        using var bench = new ChildProcess(Fibrpc,
        [
            "bench", "--json", "--no-progress", "--warmup", warmup.ToString(CultureInfo.InvariantCulture),
            "--duration", seconds.ToString(CultureInfo.InvariantCulture), .. arguments,
        ], withSpinLimit, Path.Combine(Logs, log + ".log"));
        var exitCode = await bench.WaitForExitAsync(TimeSpan.FromSeconds(warmup + seconds + 120), cancellationToken).ConfigureAwait(false);
        return (exitCode, bench.StandardOutput);
    }

    public void Dispose() => _broker?.Dispose();

    /// <summary>Busy and total jiffies of all cores since boot (/proc/stat's first line); only their differences are used.</summary>
    private static (long Busy, long Total) MachineJiffies()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal: idle and iowait are the idle ones.
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
        return (busy, busy + fields[3] + fields[4]);
    }

    private static TimeSpan CpuOf(Process? process)
    {
        process?.Refresh();
        return process is null || process.HasExited ? TimeSpan.Zero : process.TotalProcessorTime;
    }

    /// <summary>The directory holding FibRpc.slnf, from the working directory up, else from this program's.</summary>
    private static string RepositoryRoot()
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
}

using System.Globalization;
using System.Text.Json;
using FibRpc.Benchmarks.Report;
using RabbitMQ.Client;

namespace FibRpc.Benchmarks.Plan;

/// <summary>
/// One run of the plan: the consumer processes it started, the rounds of measurements and the sustained phase, and
/// their raw results in the layout the report reads (NAME.rROUND.json, NAME.rROUND.proc.json, sustain-rss.txt).
/// </summary>
internal sealed class Session(PlanSettings settings, Tools tools, string output, string logs, IReadOnlyList<Measurement> plan, IReadOnlyList<Consumers> groups) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<Consumers, List<ChildProcess>> _consumers = [];
    private readonly System.Diagnostics.Process? _broker = CpuReadings.Broker();

    /// <summary>The load average when the consumers were up, before the first measurement.</summary>
    public string StartLoad { get; private set; } = "?";

    public async Task RunAsync(IConnection connection, CancellationToken cancellationToken)
    {
        foreach (var group in groups)
        {
            await StartAsync(connection, group, cancellationToken).ConfigureAwait(false);
        }

        StartLoad = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

        // A short pass over every measurement first, not recorded: JIT, connections and broker state settle before round 1.
        PlanCommand.Say("warm-up pass (not recorded)");
        foreach (var measurement in plan)
        {
            await BenchAsync(measurement, warmup: 0, seconds: 1, Path.Combine(logs, measurement.Name + ".warm-up.log"), cancellationToken).ConfigureAwait(false);
        }

        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var measurement in RunPlan.InRound(plan, round))
            {
                await MeasureAsync(measurement, round, settings.Seconds, cancellationToken).ConfigureAwait(false);
            }
        }

        if (settings.Sustain > 0 && plan.FirstOrDefault(m => m.Name == "svc-n10-c32") is { } busiest)
        {
            await SustainAsync(busiest with { Name = "sustain-n10-c32" }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM, so that the consumers close their channels as they would in production.
        foreach (var child in _consumers.Values.SelectMany(list => list))
        {
            await child.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            child.Dispose();
        }

        _broker?.Dispose();
    }

    private async Task StartAsync(IConnection connection, Consumers group, CancellationToken cancellationToken)
    {
        await tools.RunAsync("topology-" + group.Queue, tools.Fibrpc, ["topology", "--queue", group.Queue]).ConfigureAwait(false);

        // Consumers left over from an interrupted run would be counted as ready and take part of the load.
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var already = (await channel.QueueDeclarePassiveAsync(group.Queue, cancellationToken).ConfigureAwait(false)).ConsumerCount;
            if (already > 0)
            {
                throw new InvalidOperationException($"'{group.Queue}' already has {already} consumer(s) that this plan did not start; stop them first");
            }
        }

        var children = new List<ChildProcess>();
        _consumers[group] = children;
        var environment = new Dictionary<string, string>(tools.Environment);
        foreach (var (key, value) in group.Environment)
        {
            environment[key] = value;
        }

        for (var i = 0; i < group.Count; i++)
        {
            var name = $"{group.Queue}-{i + 1}";
            var (program, arguments) = group.Kind switch
            {
                ConsumerKind.Serve => (group.Fibrpc ?? tools.Fibrpc, new[] { "serve", "--queue", group.Queue, "--prefetch", "1" }),
                ConsumerKind.CeilingWithConfirms => (Tools.Benchmarks, ["ceiling", "--confirms", "--queue", group.Queue]),
                _ => (Tools.Benchmarks, ["ceiling", "--no-confirms", "--queue", group.Queue]),
            };
            children.Add(new ChildProcess(program, arguments, environment, Path.Combine(logs, name + ".log")));
        }

        await ConsumerReadiness.WaitAsync(connection, group.Queue, (uint)group.Count,
            () => children.Select(child => child.WhyNotRunning()).FirstOrDefault(reason => reason is not null), StartTimeout, cancellationToken).ConfigureAwait(false);
        PlanCommand.Say($"{group.Count} x {group.Kind} consuming '{group.Queue}' (counted by the broker)");
    }

    /// <summary>One recorded run: the bench's JSON, and the CPU of the queue's consumers, the broker and the machine over it.</summary>
    private async Task MeasureAsync(Measurement measurement, int round, double seconds, CancellationToken cancellationToken)
    {
        var consumers = _consumers[measurement.Target];
        var consumersBefore = consumers.Sum(child => child.CpuTime.Ticks);
        var brokerBefore = CpuReadings.CpuOf(_broker);
        var machineBefore = CpuReadings.Machine();
        var (exitCode, json) = await BenchAsync(measurement, settings.Warmup, seconds, Path.Combine(logs, $"{measurement.Name}.r{round}.log"), cancellationToken).ConfigureAwait(false);
        var consumersCpu = TimeSpan.FromTicks(consumers.Sum(child => child.CpuTime.Ticks) - consumersBefore);
        var brokerCpu = CpuReadings.CpuOf(_broker) - brokerBefore;
        var machineAfter = CpuReadings.Machine();

        var file = Path.Combine(output, $"{measurement.Name}.r{round}");
        await File.WriteAllTextAsync(file + ".json", json, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(file + ".proc.json", JsonSerializer.Serialize(new ProcJson(exitCode, 1_000_000, consumers.Count, (long)consumersCpu.TotalMicroseconds,
            (long)brokerCpu.TotalMicroseconds, machineAfter.Busy - machineBefore.Busy, machineAfter.Total - machineBefore.Total), RunResult.Json), cancellationToken).ConfigureAwait(false);
        PlanCommand.Say($"round {round}  {measurement.Name,-16} {RunResult.ParseBench(json)?.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture) ?? "?"} req/s (exit {exitCode})");
    }

    private async Task<(int ExitCode, string Json)> BenchAsync(Measurement measurement, double warmup, double seconds, string log, CancellationToken cancellationToken)
    {
        List<string> arguments =
        [
            "bench", "--queue", measurement.Target.Queue, "--json", "--no-progress",
            "--warmup", warmup.ToString(CultureInfo.InvariantCulture), "--duration", seconds.ToString(CultureInfo.InvariantCulture),
            .. measurement.BenchArguments,
        ];
        if (measurement.Target.IsCeiling)
        {
            arguments.AddRange(["--expect-constant", Ceiling.CeilingCommand.DefaultReply]);
        }

        // On two shared cores the load generator's spin-waiting takes CPU from the processes measured; it runs with
        // the spin limit given (0 by default), and every target is measured by the same client.
        var environment = new Dictionary<string, string>(tools.Environment);
        if (settings.ClientSpinLimit is { } limit)
        {
            environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = limit;
        }

        using var bench = new ChildProcess(tools.Fibrpc, arguments, environment, log);
        var exitCode = await bench.WaitForExitAsync(TimeSpan.FromSeconds(warmup + seconds + 120), cancellationToken).ConfigureAwait(false);
        return (exitCode, bench.StandardOutput);
    }

    /// <summary>One long run on one serve: CPU per request over many requests, and its resident memory sampled twice a second.</summary>
    private async Task SustainAsync(Measurement measurement, CancellationToken cancellationToken)
    {
        var serve = _consumers[measurement.Target][0];
        PlanCommand.Say($"sustained phase: {settings.Sustain} s at n = 10, C = 32, sampling the resident memory of serve (pid {serve.Id})");
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var samples = new List<string>();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            do
            {
                samples.Add(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:0.000} {serve.ResidentKilobytes}"));
            }
            while (!serve.HasExited && await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false));
        }, CancellationToken.None);

        await MeasureAsync(measurement, 1, settings.Sustain, cancellationToken).ConfigureAwait(false);
        await sampling.CancelAsync().ConfigureAwait(false);
        try
        {
            await sampler.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The phase is over.
        }

        await File.WriteAllLinesAsync(Path.Combine(output, "sustain-rss.txt"), samples, cancellationToken).ConfigureAwait(false);
    }
}

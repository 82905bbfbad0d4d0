using System.Globalization;
using System.Text;
using FibRpc.Benchmarks.Report;
using RabbitMQ.Client;

namespace FibRpc.Benchmarks.Plan;

/// <summary>
/// One run of the plan: the consumer processes it started, the rounds of measurements and the sustained phase, and
/// their raw results in the layout the report reads (NAME.rROUND.json, NAME.rROUND.proc.json, sustain-rss.txt).
/// </summary>
internal sealed class Session(PlanSettings settings, Rig rig, IReadOnlyDictionary<string, string> environment, IReadOnlyList<Measurement> plan) : IAsyncDisposable
{
    private readonly Dictionary<Consumers, List<ChildProcess>> _consumers = [];

    public async Task RunAsync(IConnection connection, CancellationToken cancellationToken)
    {
        foreach (var group in plan.Select(m => m.Target).Distinct())
        {
            var children = _consumers[group] = [];
            // The broker for every child, and the group's runtime settings (never the same variables).
            var groupEnvironment = new Dictionary<string, string>(environment.Concat(group.Environment));

            await rig.StartAsync(connection, group.Queue, group.Count, i => Start(group, groupEnvironment, i), children, environment, cancellationToken).ConfigureAwait(false);
            PlanCommand.Say($"{group.Count} x {string.Join(' ', group.Consumer)} consuming '{group.Queue}' (counted by the broker)");
        }

        // The load average when the consumers are up, before the first measurement.
        await WriteEnvironmentAsync(connection, string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))).ConfigureAwait(false);

        // A short pass over every measurement first, not recorded: JIT, connections and broker state settle before round 1.
        PlanCommand.Say("warm-up pass (not recorded)");
        foreach (var measurement in plan)
        {
            await rig.BenchAsync(ArgumentsOf(measurement), 0, 1, environment, measurement.Name + ".warm-up", cancellationToken).ConfigureAwait(false);
        }

        await Stats.AlternatingAsync(plan, settings.Rounds, (measurement, round) => MeasureAsync(measurement, round, settings.Seconds, cancellationToken)).ConfigureAwait(false);

        if (settings.Sustain > 0 && plan.FirstOrDefault(m => m.Name == "svc-n10-c32") is { } busiest)
        {
            await SustainAsync(busiest with { Name = "sustain-n10-c32" }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await Rig.StopAsync(_consumers.Values.SelectMany(list => list)).ConfigureAwait(false);

    private ChildProcess Start(Consumers group, Dictionary<string, string> environment, int i) =>
        new(group.IsCeiling ? Rig.Benchmarks : group.Fibrpc ?? rig.Fibrpc, [.. group.Consumer, "--queue", group.Queue], environment, Path.Combine(rig.Logs, $"{group.Queue}-{i}.log"));

    private static IEnumerable<string> ArgumentsOf(Measurement measurement) =>
    [
        "--queue", measurement.Target.Queue, .. measurement.BenchArguments,
        .. !measurement.Target.IsCeiling ? [] : new[] { "--expect-constant", Ceiling.CeilingCommand.DefaultReply },
    ];

    private async Task<RunResult> MeasureAsync(Measurement measurement, int round, double seconds, CancellationToken cancellationToken)
    {
        var run = await rig.MeasureAsync(measurement.Name, round, _consumers[measurement.Target], ArgumentsOf(measurement), settings.Warmup, seconds, environment, cancellationToken).ConfigureAwait(false);
        PlanCommand.Say($"round {round}  {measurement.Name,-16} {run.Bench.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture)} req/s (exit {run.Proc.ExitCode})");
        return run;
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

        await File.WriteAllLinesAsync(Path.Combine(rig.Output, "sustain-rss.txt"), samples, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>env.txt: where and how the run was made, the report's first line.</summary>
    private async Task WriteEnvironmentAsync(IConnection connection, string loadAverage)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var version = connection.ServerProperties?.TryGetValue("version", out var v) == true && v is byte[] bytes ? Encoding.UTF8.GetString(bytes) : "?";
        async Task<string> Git(params string[] arguments) => (await rig.RunAsync("git", "git", ["-C", rig.Root, .. arguments]).ConfigureAwait(false)).Trim();
        var changed = (await Git("status", "--porcelain", "--untracked-files=no").ConfigureAwait(false)).Length > 0;
        List<string> lines =
        [
            $"date={DateTime.UtcNow:yyyy-MM-ddTHH:mm}Z",
            $"commit={await Git("rev-parse", "--short", "HEAD").ConfigureAwait(false)}{(changed ? "+changes" : "")}",
            $"cpu={cpu} x {Environment.ProcessorCount}",
            $"loadavg={loadAverage}",
            $"dotnet={Environment.Version}",
            $"rabbitmq={version}",
            string.Create(CultureInfo.InvariantCulture, $"rounds={settings.Rounds}, seconds={settings.Seconds}, warmup={settings.Warmup}, sustain={settings.Sustain}, mix={RunPlan.Mix}"),
        ];
        if (settings.BaselineRef is { } reference)
        {
            lines.Add($"baseline={await Git("rev-parse", "--short", reference).ConfigureAwait(false)}");
        }

        await File.WriteAllLinesAsync(Path.Combine(rig.Output, "env.txt"), lines).ConfigureAwait(false);
    }
}

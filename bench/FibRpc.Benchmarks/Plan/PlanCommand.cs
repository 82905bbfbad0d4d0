using System.CommandLine;
using FibRpc.Benchmarks.Report;
using FibRpc.Contract;

namespace FibRpc.Benchmarks.Plan;

/// <summary>The options of <c>plan</c>; every default is what docs/benchmarks.md was generated with.</summary>
internal sealed record PlanSettings(int Rounds, double Seconds, double Warmup, double Sustain, string? BaselineRef, IReadOnlySet<string>? Only, string Connection);

/// <summary>
/// <c>plan [options]</c>: the RPC benchmarks of <see cref="RunPlan"/> in one run (method: docs/benchmarks.md, RPC
/// throughput), then the report (<see cref="ReportCommand"/>).
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var (rounds, seconds, warmup) = BenchOptions.Rounds(3, 5.0, 1.0, "Rounds; each runs every measurement once, odd rounds forward, even rounds backward");
        var sustain = BenchOptions.With("--sustain", 20.0, "Seconds of the sustained phase on one serve (CPU per request, resident memory); 0 leaves it out").AtLeast(0);
        var baselineRef = new Option<string?>("--baseline-ref") { Description = "Also measure serve built from this git ref, side by side (before/after)" };
        var only = new Option<string?>("--only") { Description = "Only these measurements, comma-separated (e.g. svc-n10-c32,ceilc-n10-c32), and only their consumers" };
        var connection = BenchOptions.Connection();
        var command = new Command("plan", "The RPC benchmarks side by side in one run (docs/benchmarks.md, RPC throughput): serve against the ceilings, scale-out, "
            + "thread-pool variants, a baseline build; prints the report and keeps the raw results in artifacts/bench/<UTC time>.")
        {
            rounds, seconds, warmup, sustain, baselineRef, only, connection,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new PlanSettings(parseResult.GetValue(rounds), parseResult.GetValue(seconds), parseResult.GetValue(warmup), parseResult.GetValue(sustain), parseResult.GetValue(baselineRef),
                parseResult.GetValue(only)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(), parseResult.Broker(connection)),
            cancellationToken));
        return command;
    }

    public static void Say(string line) => Console.Error.WriteLine("plan: " + line);

    private static async Task<int> RunAsync(PlanSettings settings, CancellationToken stop)
    {
        if (await Rig.ConnectAsync(settings.Connection, "fibrpc-bench-plan", "scripts/broker.sh start", Say, stop).ConfigureAwait(false) is not { } connection)
        {
            return 2;
        }

        using var rig = new Rig("bench");
        var environment = new Dictionary<string, string> { [RpcNames.ConnectionSetting] = settings.Connection };
        await using (connection.ConfigureAwait(false))
        {
            Say("building fibrpc (Release)");
            await rig.BuildFibrpcAsync("build", rig.Root).ConfigureAwait(false);
            var baselineFibrpc = settings.BaselineRef is { } reference ? await BuildBaselineAsync(rig, reference).ConfigureAwait(false) : null;

            var plan = RunPlan.Measurements(baselineFibrpc).Where(m => settings.Only?.Contains(m.Name) ?? true).ToArray();
            if (plan.Length == 0)
            {
                Say("nothing to measure: --only names none of " + string.Join(", ", RunPlan.Measurements(baselineFibrpc).Select(m => m.Name)));
                return 2;
            }

            await using (var session = new Session(settings, rig, environment, plan))
            {
                await session.RunAsync(connection, stop).ConfigureAwait(false);
            }
        }

        Say($"results in {rig.Output}");
        await ReportCommand.RunAsync(rig.Output).ConfigureAwait(false);
        var failed = new ResultSet(RunResult.LoadAll(rig.Output)).Failed.ToArray();
        if (failed.Length > 0)
        {
            Say("runs with wrong answers, error replies, timeouts or a failed bench: " + string.Join(", ", failed));
            return 1;
        }

        return 0;
    }

    private static async Task<string> BuildBaselineAsync(Rig rig, string reference)
    {
        Say($"building the baseline serve from {reference}");
        var source = Directory.CreateDirectory(Path.Combine(rig.Output, "baseline-src")).FullName;
        var archive = Path.Combine(rig.Output, "baseline.tar");
        await rig.RunAsync("baseline-archive", "git", ["-C", rig.Root, "archive", "-o", archive, reference]).ConfigureAwait(false);
        await rig.RunAsync("baseline-extract", "tar", ["-xf", archive, "-C", source]).ConfigureAwait(false);
        await rig.BuildFibrpcAsync("baseline-build", source).ConfigureAwait(false);
        // Older trees named the apphost fibrpc; newer ones keep the project's name.
        var older = Path.Combine(source, "FibRpc.Cli", "bin", "Release", "net10.0", "fibrpc");
        return File.Exists(older) ? older : Rig.FibrpcIn(source);
    }
}

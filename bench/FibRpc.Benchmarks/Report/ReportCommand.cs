using System.CommandLine;
using System.Globalization;
using System.Text;

namespace FibRpc.Benchmarks.Report;

/// <summary>
/// <c>report --results DIR</c>: the results of the run plan (plan, which runs it at its end) as plain markdown tables,
/// printed and written to DIR/report.md: every measurement's medians, and the within-round ratios that the
/// comparisons of docs/benchmarks.md are made of.
/// </summary>
internal static class ReportCommand
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The comparisons, each measured side by side in every round: (numerator, denominator).</summary>
    private static readonly (string Of, string To)[] Pairs =
    [
        ("svc-n10-c1", "ceilc-n10-c1"), ("svc-n10-c1", "ceilr-n10-c1"), ("svc-n30-c1", "svc-n10-c1"), ("ceilc-n10-c1", "ceilr-n10-c1"),
        ("base-n10-c1", "ceilc-n10-c1"), ("base-n10-c1", "ceilr-n10-c1"),
        ("svc-n10-c32", "ceilc-n10-c32"), ("svc-n10-c32", "ceilr-n10-c32"), ("ceilc-n10-c32", "ceilr-n10-c32"), ("svc-mix-c32", "ceilc-n10-c32"),
        ("base-n10-c32", "ceilc-n10-c32"), ("base-n10-c32", "ceilr-n10-c32"),
        ("svc2-n10-c32", "svc-n10-c32"), ("svc4-n10-c32", "svc-n10-c32"), ("ceilc4-n10-c32", "ceilc-n10-c32"), ("svc4-n10-c32", "ceilc4-n10-c32"),
        ("svcs0-n10-c32", "svc-n10-c32"), ("svcs0-n10-c32", "ceilcs0-n10-c32"), ("svc-n10-c32", "ceilcs0-n10-c32"), ("ceilcs0-n10-c32", "ceilc-n10-c32"),
        ("svcw1-n10-c32", "ceilc-n10-c32"), ("svcw1s0-n10-c32", "ceilc-n10-c32"), ("svcw1-n10-c32", "ceilcs0-n10-c32"), ("svcw1s0-n10-c32", "ceilcs0-n10-c32"),
    ];

    public static Command Create()
    {
        var results = new Option<DirectoryInfo>("--results") { Description = "A results directory of plan (artifacts/bench/<UTC time>)", Required = true }.AcceptExistingOnly();
        var command = new Command("report", "Prints the tables of a plan's results (medians and within-round ratios); writes them to report.md in the results directory.")
        {
            results,
        };
        command.SetAction(parseResult => RunAsync(parseResult.GetValue(results)!.FullName));
        return command;
    }

    public static async Task<int> RunAsync(string directory)
    {
        var section = Render(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), section).ConfigureAwait(false);
        Console.WriteLine(section);
        await Console.Error.WriteLineAsync($"report: wrote report.md in {directory}").ConfigureAwait(false);
        return 0;
    }

    private static string Render(string directory)
    {
        var results = new ResultSet(RunResult.LoadAll(directory));
        var text = new StringBuilder();
        text.Append(C, $"_Run plan ({string.Join(", ", File.ReadLines(Path.Combine(directory, "env.txt")))}). Medians over the rounds; ratios are taken within each round ");
        text.AppendLine("(side by side), then the median. The load generator runs with the thread pool's spin limit 0, the consumers with the runtime's defaults unless named otherwise. "
            + "svc: one `serve`, svc2/svc4: 2/4 of them, base: the baseline build, ceilc/ceilr: the ceiling with/without confirms (ceilc4: 4 of them), "
            + "s0: spin limit 0, w1: one worker thread; nN: F(N), mix: the n:weight mix, cC: C calls in flight._");
        text.AppendLine();
        text.AppendLine("| measurement | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | requests answered | serving CPU µs/req | broker CPU µs/req | bench CPU µs/req | machine busy |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var name in results.Names)
        {
            string Of(Func<RunResult, double> value, string format) => Format(results.Median(name, value), format);
            text.AppendLine(C, $"| {name} | {Of(r => r.Bench.RequestsPerSecond, "0")} | {Of(r => r.LatencyMs[0], "0.00")} | {Of(r => r.LatencyMs[1], "0.00")} | {Of(r => r.LatencyMs[2], "0.00")} | "
                + $"{Of(r => r.LatencyMs[3], "0.00")} | {Of(r => r.LatencyMs[4], "0.00")} | {Of(r => r.Answered, "0")} | {Of(r => r.ServerCpuMicrosecondsPerRequest, "0")} | "
                + $"{Of(r => r.BrokerCpuMicrosecondsPerRequest, "0")} | {Of(r => r.Bench.BenchCpuMicrosecondsPerRequest, "0")} | {Of(r => r.MachineBusyShare * 100, "0.0")}% |");
        }

        text.AppendLine();
        text.AppendLine("| ratio | throughput (median) | rounds | serving CPU per request (median) | rounds |");
        text.AppendLine("|---|---:|---|---:|---|");
        foreach (var (of, to) in Pairs.Where(pair => results.Has(pair.Of) && results.Has(pair.To)))
        {
            var rate = results.Ratios(of, to, r => r.Bench.RequestsPerSecond);
            var cpu = results.Ratios(of, to, r => r.ServerCpuMicrosecondsPerRequest);
            text.AppendLine(C, $"| {of} / {to} | {Format(Stats.Median(rate) * 100, "0.0")}% | {(rate.Length == 0 ? "–" : $"{rate.Min() * 100:0}–{rate.Max() * 100:0}%")} | "
                + $"{Format(Stats.Median(cpu), "0.00")} | {string.Join(' ', cpu.Select(ratio => ratio.ToString("0.00", C)))} |");
        }

        text.AppendLine();
        Memory(directory, text);
        if (results.Failed.Any())
        {
            text.AppendLine(C, $"**Runs with wrong answers, error replies, timeouts or a failed bench:** {string.Join(", ", results.Failed)}.");
        }

        return text.ToString();
    }

    /// <summary>VmRSS of `serve` sampled twice a second over the sustained phase (sustain-rss.txt: "unix-time kB" lines).</summary>
    private static void Memory(string directory, StringBuilder text)
    {
        var path = Path.Combine(directory, "sustain-rss.txt");
        var mib = File.Exists(path) ? File.ReadLines(path).Select(line => double.Parse(line.Split(' ')[1], C) / 1024).ToArray() : [];
        if (mib.Length > 0)
        {
            var quarter = Math.Max(1, mib.Length / 4);
            var (first, last) = (mib[..quarter].Average(), mib[^quarter..].Average());
            // Flat: the mean of the last quarter of samples is within 5% of the first quarter's.
            text.AppendLine(C, $"Resident memory of `serve` over the sustained phase ({mib.Length} samples): start {mib[0]:0.0} MiB, end {mib[^1]:0.0} MiB, max {mib.Max():0.0} MiB; "
                + $"mean of the first quarter {first:0.0} MiB, of the last {last:0.0} MiB: {(mib.Length >= 4 && last <= first * 1.05 ? "flat" : "**not flat**")}.");
            text.AppendLine();
        }
    }

    private static string Format(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, C);
}

using System.CommandLine;

namespace FibRpc.Benchmarks.Report;

/// <summary>
/// <c>report --results DIR</c>: turns the raw results of the run plan (plan, which runs it at its end) into the
/// markdown section of docs/benchmarks.md (printed, and written to DIR/report.md: paste it between the rpc-bench
/// markers) and the latency plot (DIR/benchmarks-rpc-latency.svg: copy it to docs/).
/// </summary>
internal static class ReportCommand
{
    public const string PlotName = "benchmarks-rpc-latency.svg";

    public static Command Create()
    {
        var results = new Option<DirectoryInfo>("--results") { Description = "A results directory of plan (artifacts/bench/<UTC time>)", Required = true }.AcceptExistingOnly();
        var command = new Command("report", $"Prints the RPC throughput section of docs/benchmarks.md from the results of plan; writes it and {PlotName} into the results directory.")
        {
            results,
        };
        command.SetAction(parseResult => RunAsync(parseResult.GetValue(results)!.FullName));
        return command;
    }

    public static async Task<int> RunAsync(string resultsDirectory)
    {
        var results = new ResultSet(RunResult.LoadAll(resultsDirectory));
        var environment = File.ReadLines(Path.Combine(resultsDirectory, "env.txt"))
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        if (File.Exists(Path.Combine(resultsDirectory, "baseline.txt")))
        {
            environment["baseline"] = "`" + (await File.ReadAllTextAsync(Path.Combine(resultsDirectory, "baseline.txt")).ConfigureAwait(false)).Trim().Replace("`", "'", StringComparison.Ordinal) + "`";
        }

        var section = new MarkdownReport(results, environment, MemorySamples.Load(resultsDirectory), PlotName).Render();
        await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "report.md"), section).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(resultsDirectory, PlotName),
            LatencyPlot.Render("RPC latency percentiles, n = 10 (medians over rounds)", Series(results))).ConfigureAwait(false);
        Console.WriteLine(section);
        await Console.Error.WriteLineAsync($"report: wrote report.md and {PlotName} in {resultsDirectory}").ConfigureAwait(false);
        return 0;
    }

    private static List<LatencyPlot.Series> Series(ResultSet results)
    {
        var series = new List<LatencyPlot.Series>();
        void Add(string name, string label, string color, bool dashed)
        {
            if (results.Has(name))
            {
                series.Add(new LatencyPlot.Series(label, color, dashed, results.MedianLatency(name)));
            }
        }

        Add("svc-n10-c1", "serve, C=1", "#1f77b4", true);
        Add("ceilc-n10-c1", "ceiling + confirms, C=1", "#ff7f0e", true);
        Add("ceilr-n10-c1", "ceiling raw, C=1", "#2ca02c", true);
        Add("svc-n10-c32", "serve, C=32", "#1f77b4", false);
        Add("ceilc-n10-c32", "ceiling + confirms, C=32", "#ff7f0e", false);
        Add("ceilr-n10-c32", "ceiling raw, C=32", "#2ca02c", false);
        Add("svc4-n10-c32", "4 x serve, C=32", "#9467bd", false);
        return series;
    }
}

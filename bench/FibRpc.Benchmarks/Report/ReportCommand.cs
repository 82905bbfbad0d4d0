namespace FibRpc.Benchmarks.Report;

/// <summary>
/// <c>report --results DIR [--markdown docs/benchmarks.md] [--svg docs/benchmarks-rpc-latency.svg]</c>: turns the raw
/// results of the run plan (plan) into the markdown section (between the rpc-bench markers) and the latency plot.
/// Without --markdown the section goes to standard output.
/// </summary>
internal static class ReportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? resultsDirectory = null, markdown = null, svg = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--results": resultsDirectory = args[i + 1]; break;
                case "--markdown": markdown = args[i + 1]; break;
                case "--svg": svg = args[i + 1]; break;
                default:
                    await Console.Error.WriteLineAsync($"report: unknown option {args[i]}").ConfigureAwait(false);
                    return 2;
            }
        }

        if (resultsDirectory is null || !Directory.Exists(resultsDirectory))
        {
            await Console.Error.WriteLineAsync("usage: report --results DIR [--markdown FILE] [--svg FILE]").ConfigureAwait(false);
            return 2;
        }

        var results = new ResultSet(RunResult.LoadAll(resultsDirectory));
        var environment = File.ReadLines(Path.Combine(resultsDirectory, "env.txt"))
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        if (File.Exists(Path.Combine(resultsDirectory, "baseline.txt")))
        {
            environment["baseline"] = "`" + (await File.ReadAllTextAsync(Path.Combine(resultsDirectory, "baseline.txt")).ConfigureAwait(false)).Trim().Replace("`", "'", StringComparison.Ordinal) + "`";
        }

        var svgName = svg is null ? "benchmarks-rpc-latency.svg" : Path.GetFileName(svg);
        var section = new MarkdownReport(results, environment, MemorySamples.Load(resultsDirectory), svgName).Render();
        var plot = LatencyPlot.Render("RPC latency percentiles, n = 10 (medians over rounds)", Series(results));

        await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "report.md"), section).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(resultsDirectory, svgName), plot).ConfigureAwait(false);
        if (markdown is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(markdown))!);
            var existing = File.Exists(markdown) ? await File.ReadAllTextAsync(markdown).ConfigureAwait(false) : null;
            await File.WriteAllTextAsync(markdown, MarkerSection.Replace(existing, section)).ConfigureAwait(false);
            Console.WriteLine($"report: wrote the rpc-bench section of {markdown}");
        }
        else
        {
            Console.WriteLine(section);
        }

        if (svg is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(svg))!);
            await File.WriteAllTextAsync(svg, plot).ConfigureAwait(false);
            Console.WriteLine($"report: wrote {svg}");
        }

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

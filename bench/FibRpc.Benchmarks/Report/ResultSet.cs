namespace FibRpc.Benchmarks.Report;

/// <summary>The runs of one benchmark session by measurement name, with medians and within-round ratios.</summary>
internal sealed class ResultSet(IReadOnlyList<RunResult> runs)
{
    public IReadOnlyList<RunResult> Runs { get; } = runs;

    public bool Has(string name) => Runs.Any(run => run.Name == name);

    public IEnumerable<RunResult> Of(string name) => Runs.Where(run => run.Name == name).OrderBy(run => run.Round);

    public double Median(string name, Func<RunResult, double> value) => Stats.Median(Of(name).Select(value));

    /// <summary>Median over rounds of (a / b), a and b measured in the same round: robust to drifting load.</summary>
    public double MedianRatio(string numerator, string denominator, Func<RunResult, double>? value = null)
    {
        value ??= static run => run.RequestsPerSecond;
        var below = Of(denominator).ToDictionary(run => run.Round);
        return Stats.Median(Of(numerator)
            .Where(run => below.ContainsKey(run.Round) && value(below[run.Round]) > 0)
            .Select(run => value(run) / value(below[run.Round])));
    }

    /// <summary>Smallest and largest within-round ratio, to show how far one round can be from another.</summary>
    public (double Low, double High) RatioRange(string numerator, string denominator)
    {
        var below = Of(denominator).ToDictionary(run => run.Round);
        var ratios = Of(numerator).Where(run => below.ContainsKey(run.Round) && below[run.Round].RequestsPerSecond > 0)
            .Select(run => run.RequestsPerSecond / below[run.Round].RequestsPerSecond).ToArray();
        return ratios.Length == 0 ? (double.NaN, double.NaN) : (ratios.Min(), ratios.Max());
    }

    /// <summary>Latency percentiles: the median of each percentile over rounds.</summary>
    public double[] MedianLatency(string name) =>
        Enumerable.Range(0, RunResult.PercentileNames.Length).Select(i => Median(name, run => run.LatencyMs[i])).ToArray();

    public IEnumerable<string> Failed => Runs.Where(run => !run.Passed || run.ExitCode != 0).Select(run => $"{run.Name} round {run.Round}");
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(value => !double.IsNaN(value)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

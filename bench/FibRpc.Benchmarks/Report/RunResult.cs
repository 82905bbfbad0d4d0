using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FibRpc.Benchmarks.Report;

/// <summary>
/// One `fibrpc bench` run of plan or capacity: the bench's JSON (NAME.rROUND.json) and the CPU readings of the
/// serving processes, the broker and the machine over the same run (NAME.rROUND.proc.json).
/// </summary>
internal sealed partial record RunResult(string Name, int Round, BenchJson Bench, ProcJson Proc)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a bench that could not run at all (exit 2, no JSON) counts as: nothing measured.</summary>
    public static readonly BenchJson Nothing = new(0, 0, 0, false, new LatencyJson(0, 0, 0, 0, 0), double.NaN, 0);

    public double[] LatencyMs => [Bench.LatencyMs.P50, Bench.LatencyMs.P90, Bench.LatencyMs.P99, Bench.LatencyMs.P999, Bench.LatencyMs.Max];

    /// <summary>Requests the serving processes answered during the whole run, warm-up included (their CPU covers both).</summary>
    public long Answered => Bench.Replies + Bench.WarmupReplies;

    public double ServerCpuMicrosecondsPerRequest => PerRequest(Proc.ServerCpuTicks);

    public double BrokerCpuMicrosecondsPerRequest => PerRequest(Proc.BrokerCpuTicks);

    public double MachineBusyShare => Proc.MachineTotalTicks > 0 ? (double)Proc.MachineBusyTicks / Proc.MachineTotalTicks : double.NaN;

    public static List<RunResult> LoadAll(string directory) =>
    [
        .. from path in Directory.EnumerateFiles(directory, "*.json")
           let match = FileName().Match(Path.GetFileName(path))
           where match.Success
           let bench = File.ReadAllText(path)
           select new RunResult(match.Groups["name"].Value, int.Parse(match.Groups["round"].Value, CultureInfo.InvariantCulture),
               ParseBench(bench) ?? Nothing,
               JsonSerializer.Deserialize<ProcJson>(File.ReadAllText(Path.ChangeExtension(path, null) + ".proc.json"), Json)!),
    ];

    /// <summary>The result of <c>fibrpc bench --json</c>; null when it printed none (it could not run).</summary>
    public static BenchJson? ParseBench(string json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<BenchJson>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private double PerRequest(long ticks) => Answered > 0 ? ticks * 1e6 / Proc.ClockTicksPerSecond / Answered : double.NaN;

    [GeneratedRegex(@"^(?<name>[a-z0-9-]+)\.r(?<round>\d+)\.json$")]
    private static partial Regex FileName();
}

/// <summary>What the report reads of <c>fibrpc bench --json</c>.</summary>
internal sealed record BenchJson(double RequestsPerSecond, long Replies, long WarmupReplies, bool Passed, LatencyJson LatencyMs, double BenchCpuMicrosecondsPerRequest, long Failures);

internal sealed record LatencyJson(double P50, double P90, double P99, double P999, double Max);

/// <summary>The plan's readings around one run: CPU times in ticks of <paramref name="ClockTicksPerSecond"/>; the machine's in jiffies, used only as a share.</summary>
internal sealed record ProcJson(int ExitCode, long ClockTicksPerSecond, int ServerProcesses, long ServerCpuTicks, long BrokerCpuTicks, long MachineBusyTicks, long MachineTotalTicks);

/// <summary>The runs of one results directory by measurement name, with medians and within-round ratios.</summary>
internal sealed class ResultSet(IReadOnlyList<RunResult> runs)
{
    public IEnumerable<string> Names => runs.Select(run => run.Name).Distinct().Order(StringComparer.Ordinal);

    public IEnumerable<string> Failed => runs.Where(run => !run.Bench.Passed || run.Proc.ExitCode != 0).Select(run => $"{run.Name} round {run.Round}");

    public bool Has(string name) => runs.Any(run => run.Name == name);

    public IEnumerable<RunResult> Of(string name) => runs.Where(run => run.Name == name).OrderBy(run => run.Round);

    public double Median(string name, Func<RunResult, double> value) => Stats.Median(Of(name).Select(value));

    /// <summary>(a / b) of each round that measured both, in round order: side by side, so robust to drifting load.</summary>
    public double[] Ratios(string numerator, string denominator, Func<RunResult, double> value)
    {
        var below = Of(denominator).ToDictionary(run => run.Round);
        return [.. Of(numerator).Where(run => below.ContainsKey(run.Round) && value(below[run.Round]) > 0).Select(run => value(run) / value(below[run.Round]))];
    }
}

/// <summary>Medians, and measurements taken round after round in alternating order.</summary>
internal static class Stats
{
    /// <summary>
    /// Measures every entry once per round, the order reversed every other round so that none always runs on a
    /// machine another has just warmed; returns each entry's samples in round order.
    /// </summary>
    public static async Task<Dictionary<T, List<TSample>>> AlternatingAsync<T, TSample>(IReadOnlyList<T> entries, int rounds, Func<T, int, Task<TSample>> measure)
        where T : notnull
    {
        var samples = entries.ToDictionary(entry => entry, _ => new List<TSample>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var entry in round % 2 == 1 ? entries : Enumerable.Reverse(entries))
            {
                samples[entry].Add(await measure(entry, round).ConfigureAwait(false));
            }
        }

        return samples;
    }

    public static double Median(List<double[]> samples, int k) => Median(samples.Select(sample => sample[k]));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(value => !double.IsNaN(value)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

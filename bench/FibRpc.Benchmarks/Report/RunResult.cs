using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FibRpc.Benchmarks.Report;

/// <summary>
/// One `fibrpc bench` run of the run plan: the bench's JSON (NAME.rROUND.json) and the plan's CPU readings
/// of the serving processes, the broker and the machine over the same run (NAME.rROUND.proc.json).
/// </summary>
internal sealed partial record RunResult(string Name, int Round, BenchJson Bench, ProcJson Proc)
{
    public static readonly string[] PercentileNames = ["p50", "p90", "p99", "p99.9", "max"];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a bench that could not run at all (exit 2, no JSON) counts as: nothing measured.</summary>
    private static readonly BenchJson Nothing = new(0, 0, 0, false, new LatencyJson(0, 0, 0, 0, 0), double.NaN, 0);

    public double RequestsPerSecond => Bench.RequestsPerSecond;

    public bool Passed => Bench.Passed;

    public int ExitCode => Proc.ExitCode;

    public double[] LatencyMs => [Bench.LatencyMs.P50, Bench.LatencyMs.P90, Bench.LatencyMs.P99, Bench.LatencyMs.P999, Bench.LatencyMs.Max];

    public double BenchCpuMicrosecondsPerRequest => Bench.BenchCpuMicrosecondsPerRequest;

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

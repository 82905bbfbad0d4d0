using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FibRpc.Benchmarks.Report;

/// <summary>
/// One `fibrpc bench` run of the run plan: the bench's JSON (NAME.rROUND.json) and the plan's CPU readings
/// of the serving processes, the broker and the machine over the same run (NAME.rROUND.proc.json).
/// </summary>
internal sealed partial record RunResult(
    string Name,
    int Round,
    double RequestsPerSecond,
    long Replies,
    long WarmupReplies,
    long WrongAnswers,
    long ErrorReplies,
    long Timeouts,
    bool Passed,
    double[] LatencyMs,
    int ExitCode,
    int ServerProcesses,
    double ServerCpuSeconds,
    double BrokerCpuSeconds,
    double MachineBusyShare,
    double BenchCpuMicrosecondsPerRequest)
{
    public static readonly string[] PercentileNames = ["p50", "p90", "p99", "p99.9", "max"];

    /// <summary>Requests the serving processes answered during the whole run, warm-up included (their CPU covers both).</summary>
    public long Answered => Replies + WarmupReplies;

    public double ServerCpuMicrosecondsPerRequest => Answered > 0 ? ServerCpuSeconds * 1e6 / Answered : double.NaN;

    public double BrokerCpuMicrosecondsPerRequest => Answered > 0 ? BrokerCpuSeconds * 1e6 / Answered : double.NaN;

    public static List<RunResult> LoadAll(string directory)
    {
        var results = new List<RunResult>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
        {
            var match = FileName().Match(Path.GetFileName(path));
            if (match.Success)
            {
                results.Add(Load(path, match.Groups["name"].Value, int.Parse(match.Groups["round"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return results;
    }

    private static RunResult Load(string path, string name, int round)
    {
        var procPath = Path.ChangeExtension(path, null) + ".proc.json";
        using var proc = JsonDocument.Parse(File.ReadAllText(procPath));
        var p = proc.RootElement;
        var ticks = p.GetProperty("clockTicksPerSecond").GetDouble();
        var exitCode = p.GetProperty("exitCode").GetInt32();
        var machineTotal = p.GetProperty("machineTotalTicks").GetDouble();
        var machineShare = machineTotal > 0 ? p.GetProperty("machineBusyTicks").GetDouble() / machineTotal : double.NaN;

        var text = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(text))
        {
            // The bench could not run at all (exit 2): keep the run, with nothing measured.
            return new RunResult(name, round, 0, 0, 0, 0, 0, 0, false, [0, 0, 0, 0, 0], exitCode, 0, 0, 0, machineShare, double.NaN);
        }

        using var bench = JsonDocument.Parse(text);
        var b = bench.RootElement;
        var latency = b.GetProperty("latencyMs");
        return new RunResult(
            name,
            round,
            b.GetProperty("requestsPerSecond").GetDouble(),
            b.GetProperty("replies").GetInt64(),
            b.GetProperty("warmupReplies").GetInt64(),
            b.GetProperty("wrongAnswers").GetInt64(),
            b.GetProperty("errorReplies").GetInt64(),
            b.GetProperty("timeouts").GetInt64(),
            b.GetProperty("passed").GetBoolean(),
            [latency.GetProperty("p50").GetDouble(), latency.GetProperty("p90").GetDouble(), latency.GetProperty("p99").GetDouble(), latency.GetProperty("p999").GetDouble(), latency.GetProperty("max").GetDouble()],
            exitCode,
            p.GetProperty("serverProcesses").GetInt32(),
            p.GetProperty("serverCpuTicks").GetDouble() / ticks,
            p.GetProperty("brokerCpuTicks").GetDouble() / ticks,
            machineShare,
            b.GetProperty("benchCpuMicrosecondsPerRequest").GetDouble());
    }

    [GeneratedRegex(@"^(?<name>[a-z0-9-]+)\.r(?<round>\d+)\.json$")]
    private static partial Regex FileName();
}

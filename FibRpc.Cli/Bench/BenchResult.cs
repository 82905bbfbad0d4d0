using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FibRpc.Cli.Bench;

/// <summary>The outcome of one run, as printed and as written by <c>--json</c> (read by the benchmark report).</summary>
public sealed record BenchResult
{
    public required string Queue { get; init; }

    public required string Workload { get; init; }

    public required int Concurrency { get; init; }

    /// <summary><c>fibonacci</c> (every reply compared to F(n)) or <c>constant:TEXT</c> (ceiling references).</summary>
    public required string Verification { get; init; }

    public required long WarmupReplies { get; init; }

    public required double WarmupSeconds { get; init; }

    /// <summary>Every reply that arrived in the measured phase (correct, wrong or error replies).</summary>
    public required long Replies { get; init; }

    public required long Correct { get; init; }

    public required long WrongAnswers { get; init; }

    public required long ErrorReplies { get; init; }

    /// <summary>Calls sent and confirmed that got no reply within the timeout.</summary>
    public required long Timeouts { get; init; }

    /// <summary>Calls whose reply path broke after they were sent (the connection to the broker was lost).</summary>
    public long RepliesLost { get; init; }

    /// <summary>Calls that found no connection to the broker within their timeout, or lost it while sending.</summary>
    public long ConnectionLost { get; init; }

    /// <summary>Requests the broker nacked with no time left to retry them on a fresh channel.</summary>
    public long Nacked { get; init; }

    /// <summary>Requests the broker nacked on fresh channels too: the request queue was full.</summary>
    public long Overloaded { get; init; }

    /// <summary>Requests the client published again (the call went on): on a fresh channel after a nack, or after a lost connection.</summary>
    public long RetriedPublishes { get; init; }

    /// <summary>Calls sent again after their connection or reply path was lost (counted in <see cref="RetriedPublishes"/> too).</summary>
    public long ResentCalls { get; init; }

    /// <summary>When the broker was away during the measured phase, how long, and the requests lost or retried.</summary>
    public IReadOnlyList<Outage> Outages { get; init; } = [];

    public required double ElapsedSeconds { get; init; }

    public required double RequestsPerSecond { get; init; }

    public required LatencySummary LatencyMs { get; init; }

    /// <summary>CPU time (user + system) of the bench process itself during the measured phase.</summary>
    public required double BenchCpuMs { get; init; }

    public required double BenchCpuMicrosecondsPerRequest { get; init; }

    /// <summary>Replies that matched no call in flight: late after a timeout, or duplicated by a retry.</summary>
    public required long UnmatchedReplies { get; init; }

    /// <summary>Calls that got no reply, for any reason.</summary>
    public long Failures => Timeouts + RepliesLost + ConnectionLost + Nacked + Overloaded;

    /// <summary>No wrong answer, no error reply, no call without a reply, and at least one reply.</summary>
    public bool Passed => WrongAnswers == 0 && ErrorReplies == 0 && Failures == 0 && Replies > 0;

    public static BenchResult From(BenchSettings settings, ReplyVerifier verifier, PhaseTally warmup, PhaseTally measured, TimeSpan cpu, long unmatched)
    {
        var seconds = measured.Elapsed.TotalSeconds;
        var replies = measured.Replies;
        return new BenchResult
        {
            Queue = settings.Queue,
            Workload = settings.Workload.Description,
            Concurrency = settings.Concurrency,
            Verification = verifier.ExpectedConstant is { } constant ? "constant:" + constant : "fibonacci",
            WarmupReplies = warmup.Replies,
            WarmupSeconds = Math.Round(warmup.Elapsed.TotalSeconds, 3),
            Replies = replies,
            Correct = measured.Correct,
            WrongAnswers = measured.WrongAnswers,
            ErrorReplies = measured.ErrorReplies,
            Timeouts = measured.Timeouts,
            RepliesLost = measured.Failures(FailureKind.ReplyLost),
            ConnectionLost = measured.Failures(FailureKind.ConnectionLost),
            Nacked = measured.Failures(FailureKind.Nacked),
            Overloaded = measured.Failures(FailureKind.Overloaded),
            RetriedPublishes = measured.RetriedPublishes,
            ResentCalls = measured.Resent,
            Outages = measured.Outages.Outages,
            ElapsedSeconds = Math.Round(seconds, 4),
            RequestsPerSecond = seconds > 0 ? Math.Round(replies / seconds, 1) : 0,
            LatencyMs = LatencySummary.From(measured.Latency),
            BenchCpuMs = Math.Round(cpu.TotalMilliseconds, 1),
            BenchCpuMicrosecondsPerRequest = replies > 0 ? Math.Round(cpu.TotalMicroseconds / replies, 2) : 0,
            UnmatchedReplies = unmatched,
        };
    }

    public string ToText()
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"fibrpc bench: {Workload} on '{Queue}', concurrency {Concurrency}, checked against {(Verification == "fibonacci" ? "F(n) computed locally" : Verification)}");
        text.AppendLine(invariant, $"  warm-up     {WarmupReplies} replies in {WarmupSeconds:0.###} s (not counted)");
        text.AppendLine(invariant, $"  throughput  {Replies} replies in {ElapsedSeconds:0.###} s = {RequestsPerSecond:0.0} requests/s");
        text.AppendLine(invariant, $"  latency ms  p50 {LatencyMs.P50:0.###}  p90 {LatencyMs.P90:0.###}  p99 {LatencyMs.P99:0.###}  p99.9 {LatencyMs.P999:0.###}  max {LatencyMs.Max:0.###}  (mean {LatencyMs.Mean:0.###})");
        text.AppendLine(invariant, $"  failures    {WrongAnswers} wrong answers, {ErrorReplies} error replies, {Timeouts} timeouts ({UnmatchedReplies} unmatched replies dropped)");
        text.AppendLine(invariant, $"  broker      {RepliesLost} replies lost, {ConnectionLost} without connection, {Nacked} nacked, {Overloaded} refused as overloaded; {ResentCalls} sent again after a lost connection, {RetriedPublishes - ResentCalls} republished after a nack");
        foreach (var outage in Outages)
        {
            var length = outage.DurationSeconds is { } seconds ? $"lasted {seconds:0.###} s until the next reply" : "still going at the end";
            text.AppendLine(invariant, $"  outage      at {outage.StartSeconds:0.###} s, {length}: {outage.LostRequests} requests lost, {outage.RetriedRequests} retried");
        }

        text.AppendLine(invariant, $"  bench CPU   {BenchCpuMs:0.#} ms = {BenchCpuMicrosecondsPerRequest:0.#} µs per request (this process: client side, not the service)");
        text.Append(Passed ? "  result      PASS" : "  result      FAIL: " + FailureReason());
        return text.ToString();
    }

    private string FailureReason() =>
        Replies == 0 ? "no reply at all: is the service running on this queue?"
        : WrongAnswers > 0 ? $"{WrongAnswers} replies were not the right answer"
        : Outages.Count > 0 ? $"{Failures} requests got no reply during {Outages.Count} broker outage(s)"
        : "some requests got an error reply or no reply in time";
}

/// <summary>Latency percentiles of the measured phase, in milliseconds.</summary>
public sealed record LatencySummary(double Mean, double P50, double P90, double P99, double P999, double Max)
{
    public static LatencySummary From(LatencyHistogram histogram)
    {
        static double Ms(double microseconds) => Math.Round(microseconds / 1000, 4);
        return new LatencySummary(
            Ms(histogram.MeanMicroseconds),
            Ms(histogram.Percentile(50)),
            Ms(histogram.Percentile(90)),
            Ms(histogram.Percentile(99)),
            Ms(histogram.Percentile(99.9)),
            Ms(histogram.MaxMicroseconds));
    }
}

/// <summary>Source-generated JSON for <c>--json</c>: camelCase, indented, stable field names for scripts.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(BenchResult))]
public sealed partial class BenchJsonContext : JsonSerializerContext;

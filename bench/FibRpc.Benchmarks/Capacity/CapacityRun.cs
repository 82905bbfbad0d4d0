namespace FibRpc.Benchmarks.Capacity;

/// <summary>One <c>fibrpc bench</c> run of the capacity table.</summary>
/// <param name="Brokers">single or cluster.</param>
/// <param name="Workers">How many <c>fibrpc serve</c> consumed the queue (prefetch 1 each).</param>
/// <param name="N">The workload: every request asks for F(N).</param>
/// <param name="Concurrency">Calls the load generator keeps in flight.</param>
/// <param name="Round">Which round.</param>
/// <param name="RequestsPerSecond">Answered calls per second.</param>
/// <param name="P50Ms">Median round trip.</param>
/// <param name="P99Ms">99th percentile round trip.</param>
/// <param name="ServeCpuMicrosecondsPerRequest">CPU (user + system) of all workers over the run, per answered call (warm-up included in both).</param>
/// <param name="MachineBusyPercent">How busy both cores were during the run.</param>
/// <param name="Failures">Calls that failed (timeouts, lost replies, wrong answers).</param>
internal sealed record CapacityRun(string Brokers, int Workers, int N, int Concurrency, int Round, double RequestsPerSecond, double P50Ms, double P99Ms,
    double ServeCpuMicrosecondsPerRequest, double MachineBusyPercent, long Failures);


using FibRpc.Contract;

namespace FibRpc.Cli.Bench;

/// <summary>
/// What one run of <c>fibrpc bench</c> does. The measured phase ends at <see cref="Requests"/> replies or after
/// <see cref="Duration"/>, whichever comes first, so that every run is bounded in count and in time.
/// </summary>
public sealed record BenchSettings(
    Workload Workload,
    int Concurrency,
    long Requests,
    TimeSpan Duration,
    TimeSpan Warmup,
    TimeSpan Timeout)
{
    /// <summary>Time bound of a run given by count only.</summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromMinutes(10);

    /// <summary>Count bound of a run given by duration only.</summary>
    public const long DefaultRequestLimit = 100_000_000;

    /// <summary>The request queue, for the report.</summary>
    public string Queue { get; init; } = RpcNames.Queue;

    /// <summary>Seed of the workers' random n (worker i uses Seed + i), so that a run can be repeated.</summary>
    public int Seed { get; init; } = 1;
}

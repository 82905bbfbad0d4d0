using HdrHistogram;

namespace FibRpc.Cli.Bench;

/// <summary>
/// Latencies in microseconds, recorded by C workers at once and read by the progress display meanwhile: HdrHistogram's
/// buckets (three significant digits, fixed memory), plus the exact maximum and mean, percentiles never above that
/// maximum, and no exception for a latency beyond the tracked range.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Longest latency kept as itself; a call waits far less than this before it times out.</summary>
    public static readonly long HighestTrackableMicroseconds = (long)TimeSpan.FromHours(1).TotalMicroseconds;

    // The concurrent variant: recording uses interlocked counters, so workers never lock each other out.
    private readonly LongConcurrentHistogram _histogram = new(1, HighestTrackableMicroseconds, 3);
    private long _sum;
    private long _max;

    public long Count => _histogram.TotalCount;

    /// <summary>The largest latency recorded, exactly (HdrHistogram would round it up to its bucket's top).</summary>
    public long MaxMicroseconds => Count == 0 ? 0 : Interlocked.Read(ref _max);

    public double MeanMicroseconds => Count is var count and > 0 ? (double)Interlocked.Read(ref _sum) / count : 0;

    public void Record(long microseconds)
    {
        var value = Math.Clamp(microseconds, 0, HighestTrackableMicroseconds);
        Interlocked.Add(ref _sum, value);
        var current = Interlocked.Read(ref _max);
        while (value > current && Interlocked.CompareExchange(ref _max, value, current) is var seen && seen != current)
        {
            current = seen;
        }

        _histogram.RecordValue(value);
    }

    public void Record(TimeSpan latency) => Record((long)latency.TotalMicroseconds);

    /// <summary>As HdrHistogram reports it (the top of the value's bucket), never above the recorded maximum.</summary>
    public double Percentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        return Count == 0 ? 0 : Math.Min(_histogram.GetValueAtPercentile(percentile), MaxMicroseconds);
    }
}

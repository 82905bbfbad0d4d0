namespace FibRpc.Cli.Bench;

/// <summary>
/// Latencies in microseconds, in log-linear buckets (exact below 128 µs, then 64 buckets per power of two, so
/// any reported percentile is within 1.6% of a recorded value). Fixed memory whatever the run length, and
/// lock-free recording, so that C workers can share one histogram without distorting what they measure.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int ExactLimit = 2 * SubBuckets;

    // Enough octaves for any latency a long can hold.
    private readonly long[] _counts = new long[ExactLimit + (SubBuckets * 57)];
    private long _count;
    private long _sum;
    private long _max;
    private long _min = long.MaxValue;

    public long Count => Interlocked.Read(ref _count);

    public long MaxMicroseconds => Count == 0 ? 0 : Interlocked.Read(ref _max);

    public long MinMicroseconds => Count == 0 ? 0 : Interlocked.Read(ref _min);

    public double MeanMicroseconds => Count == 0 ? 0 : (double)Interlocked.Read(ref _sum) / Count;

    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Add(ref _sum, value);
        Interlocked.Increment(ref _count);
        UpdateExtreme(ref _max, value, static (candidate, current) => candidate > current);
        UpdateExtreme(ref _min, value, static (candidate, current) => candidate < current);
    }

    public void Record(TimeSpan latency) => Record((long)latency.TotalMicroseconds);

    /// <summary>
    /// The latency below or at which <paramref name="percentile"/> percent of the recorded values lie (nearest
    /// rank), as the middle of its bucket, never above the recorded maximum.
    /// </summary>
    public double Percentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        // The epsilon keeps 99.9% of 1000 at rank 999 despite binary floating point.
        var rank = Math.Max(1, (long)Math.Ceiling((percentile / 100 * count) - 1e-9));
        if (rank >= count)
        {
            return MaxMicroseconds;
        }

        long seen = 0;
        for (var index = 0; index < _counts.Length; index++)
        {
            seen += Interlocked.Read(ref _counts[index]);
            if (seen >= rank)
            {
                var (low, high) = BoundsOf(index);
                return Math.Min(low + ((high - low) / 2.0), MaxMicroseconds);
            }
        }

        return MaxMicroseconds;
    }

    /// <summary>Bucket of a value: the value itself below 128, else its top 7 significant bits and the octave.</summary>
    public static int IndexOf(long value)
    {
        if (value < ExactLimit)
        {
            return (int)value;
        }

        var shift = 63 - (int)long.LeadingZeroCount(value) - 6;
        var mantissa = (int)(value >> shift);
        return (shift * SubBuckets) + mantissa;
    }

    /// <summary>Smallest and largest value of a bucket.</summary>
    public static (long Low, long High) BoundsOf(int index)
    {
        if (index < ExactLimit)
        {
            return (index, index);
        }

        var shift = (index / SubBuckets) - 1;
        var mantissa = (long)((index % SubBuckets) + SubBuckets);
        return (mantissa << shift, ((mantissa + 1) << shift) - 1);
    }

    private static void UpdateExtreme(ref long field, long value, Func<long, long, bool> better)
    {
        var current = Interlocked.Read(ref field);
        while (better(value, current))
        {
            var seen = Interlocked.CompareExchange(ref field, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

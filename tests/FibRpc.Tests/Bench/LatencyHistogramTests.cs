using FibRpc.Cli.Bench;

namespace FibRpc.Tests.Bench;

/// <summary>What fibrpc bench adds on top of HdrHistogram: exact max and mean, capped percentiles, clamping, sharing.</summary>
public sealed class LatencyHistogramTests
{
    private static LatencyHistogram Of(IEnumerable<int> values)
    {
        var histogram = new LatencyHistogram();
        foreach (var value in values)
        {
            histogram.Record(value);
        }

        return histogram;
    }

    [Fact]
    public void Empty_ReportsZeros()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.Percentile(99));
        Assert.Equal(0, histogram.MaxMicroseconds);
        Assert.Equal(0, histogram.MeanMicroseconds);
    }

    [Fact]
    public void SmallValues_AreExact()
    {
        var histogram = Of(Enumerable.Range(1, 100));

        Assert.Equal(50, histogram.Percentile(50));
        Assert.Equal(90, histogram.Percentile(90));
        Assert.Equal(99, histogram.Percentile(99));
        Assert.Equal(100, histogram.Percentile(100));
        Assert.Equal(50.5, histogram.MeanMicroseconds, 6);
    }

    [Theory]
    [InlineData(50, 50_000)]
    [InlineData(90, 90_000)]
    [InlineData(99, 99_000)]
    [InlineData(99.9, 99_900)]
    public void Percentiles_AreWithinATenthOfAPercent(double percentile, double expected)
    {
        var histogram = Of(Enumerable.Range(1, 100_000));

        Assert.InRange(histogram.Percentile(percentile), expected * 0.999, expected * 1.001);
    }

    [Fact]
    public void OneSlowOutlier_ShowsExactlyAtTheMaxNotAtP999()
    {
        var histogram = Of([.. Enumerable.Repeat(200, 999), 123_457]);
        Assert.Equal(200, histogram.Percentile(99));
        Assert.Equal(200, histogram.Percentile(99.9));
        Assert.Equal(123_457, histogram.MaxMicroseconds);
        Assert.Equal(123_457, histogram.Percentile(100));
    }

    [Fact]
    public void LatencyBeyondTheTrackedRange_IsClampedNotThrown()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromDays(2));
        histogram.Record(-5);
        Assert.Equal(2, histogram.Count);
        Assert.Equal(LatencyHistogram.HighestTrackableMicroseconds, histogram.MaxMicroseconds);
        Assert.Equal(0, histogram.Percentile(50));
    }

    [Fact]
    public void ConcurrentRecording_LosesNothing()
    {
        var histogram = new LatencyHistogram();
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Record(100 + worker);
            }
        });
        Assert.Equal(80_000, histogram.Count);
        Assert.Equal(107, histogram.MaxMicroseconds);
        Assert.Equal(103.5, histogram.MeanMicroseconds, 6);
    }
}

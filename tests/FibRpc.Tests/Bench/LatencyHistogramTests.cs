using FibRpc.Cli.Bench;

namespace FibRpc.Tests.Bench;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Empty_ReportsZeros()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.Percentile(99));
        Assert.Equal(0, histogram.MaxMicroseconds);
    }

    [Fact]
    public void SmallValues_AreExact()
    {
        var histogram = new LatencyHistogram();
        foreach (var value in Enumerable.Range(1, 100))
        {
            histogram.Record(value);
        }

        Assert.Equal(50, histogram.Percentile(50));
        Assert.Equal(90, histogram.Percentile(90));
        Assert.Equal(99, histogram.Percentile(99));
        Assert.Equal(100, histogram.Percentile(100));
        Assert.Equal(1, histogram.MinMicroseconds);
        Assert.Equal(50.5, histogram.MeanMicroseconds, 6);
    }

    [Theory]
    [InlineData(50, 5_000)]
    [InlineData(90, 9_000)]
    [InlineData(99, 9_900)]
    [InlineData(99.9, 9_990)]
    public void Percentiles_AreWithinTheBucketResolution(double percentile, double expected)
    {
        var histogram = new LatencyHistogram();
        foreach (var value in Enumerable.Range(1, 10_000))
        {
            histogram.Record(value);
        }

        Assert.InRange(histogram.Percentile(percentile), expected * 0.984, expected * 1.016);
    }

    [Fact]
    public void Max_IsExact_AndCapsThePercentiles()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1_000);
        histogram.Record(123_457);
        Assert.Equal(123_457, histogram.MaxMicroseconds);
        Assert.Equal(123_457, histogram.Percentile(100));
        Assert.True(histogram.Percentile(99.9) <= 123_457);
    }

    [Fact]
    public void OneSlowOutlier_ShowsAtP999NotAtP99()
    {
        var histogram = new LatencyHistogram();
        foreach (var _ in Enumerable.Range(0, 999))
        {
            histogram.Record(200);
        }

        histogram.Record(50_000);
        Assert.InRange(histogram.Percentile(99), 198, 202);
        Assert.InRange(histogram.Percentile(99.9), 198, 202);
        Assert.Equal(50_000, histogram.Percentile(100));
    }

    [Fact]
    public void Buckets_TileTheNumberLineWithoutGapsOrOverlaps()
    {
        var previousHigh = -1L;
        for (var index = 0; index < 128 + (64 * 40); index++)
        {
            var (low, high) = LatencyHistogram.BoundsOf(index);
            Assert.Equal(previousHigh + 1, low);
            Assert.True(high >= low);
            Assert.Equal(index, LatencyHistogram.IndexOf(low));
            Assert.Equal(index, LatencyHistogram.IndexOf(high));
            Assert.True(high - low <= Math.Max(0, low / 64), $"bucket {index} [{low}, {high}] is wider than 1/64");
            previousHigh = high;
        }
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
    }
}

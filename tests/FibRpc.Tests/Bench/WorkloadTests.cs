using FibRpc.Cli.Bench;

namespace FibRpc.Tests.Bench;

public sealed class WorkloadTests
{
    [Fact]
    public void Fixed_AlwaysGivesItsN()
    {
        var workload = Workload.Fixed(30);
        var random = new Random(7);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(30, workload.Next(random)));
        Assert.Equal("n=30", workload.Description);
        Assert.Equal(1, workload.DistinctCount);
    }

    [Theory]
    [InlineData("1000-5000", 1000, 5000)]
    [InlineData(" 7 - 7 ", 7, 7)]
    [InlineData("0-1", 0, 1)]
    public void Range_ParsesInclusiveBounds(string text, int low, int high)
    {
        Assert.True(Workload.TryParseRange(text, out var workload, out var error), error);
        Assert.Equal(low, workload!.Min);
        Assert.Equal(high, workload.Max);
        Assert.Equal(high - low + 1, workload.DistinctCount);
    }

    [Fact]
    public void Range_DrawsEveryValueAndNothingOutside()
    {
        Assert.True(Workload.TryParseRange("10-14", out var workload, out _));
        var random = new Random(1);
        var seen = Enumerable.Range(0, 2000).Select(_ => workload!.Next(random)).ToHashSet();
        Assert.Equal([10, 11, 12, 13, 14], seen.Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("5000-1000")]
    [InlineData("-5-10")]
    [InlineData("1-2-3")]
    [InlineData("a-b")]
    [InlineData("10")]
    public void Range_RejectsMalformedText(string text)
    {
        Assert.False(Workload.TryParseRange(text, out var workload, out var error));
        Assert.Null(workload);
        Assert.Contains("--range", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Mix_FollowsItsWeights()
    {
        Assert.True(Workload.TryParseMix("10:90,100000:10", out var workload, out var error), error);
        Assert.Equal("mix 10:90,100000:10", workload!.Description);
        Assert.Equal(0.9, workload.Share(10), 6);
        Assert.Equal(0.1, workload.Share(100000), 6);
        Assert.Equal(0, workload.Share(11));

        var random = new Random(3);
        const int draws = 100_000;
        var large = Enumerable.Range(0, draws).Count(_ => workload.Next(random) == 100000);
        Assert.InRange(large / (double)draws, 0.095, 0.105);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("10:0")]
    [InlineData("10:-1")]
    [InlineData("10:5,10:5")]
    [InlineData("x:1")]
    [InlineData("10:1,")]
    [InlineData("10:1:2")]
    public void Mix_RejectsMalformedText(string text)
    {
        Assert.False(Workload.TryParseMix(text, out var workload, out var error));
        Assert.Null(workload);
        Assert.Contains("--mix", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DistinctValues_ListEachNOnce()
    {
        Assert.True(Workload.TryParseMix("100:1,5:2", out var mix, out _));
        Assert.Equal([5, 100], mix!.DistinctValues);
        Assert.True(Workload.TryParseRange("3-5", out var range, out _));
        Assert.Equal([3, 4, 5], range!.DistinctValues);
    }
}

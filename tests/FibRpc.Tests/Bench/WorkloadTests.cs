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
    [InlineData("--range", "")]
    [InlineData("--range", "5000-1000")]
    [InlineData("--range", "-5-10")]
    [InlineData("--range", "1-2-3")]
    [InlineData("--range", "a-b")]
    [InlineData("--range", "10")]
    [InlineData("--mix", "10")]
    [InlineData("--mix", "10:0")]
    [InlineData("--mix", "10:-1")]
    [InlineData("--mix", "10:5,10:5")]
    [InlineData("--mix", "x:1")]
    [InlineData("--mix", "10:1,")]
    [InlineData("--mix", "10:1:2")]
    public void Malformed_text_is_refused_naming_the_option(string option, string text)
    {
        Workload? workload;
        string? error;
        Assert.False(option == "--range" ? Workload.TryParseRange(text, out workload, out error) : Workload.TryParseMix(text, out workload, out error));
        Assert.Null(workload);
        Assert.Contains(option, error, StringComparison.Ordinal);
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

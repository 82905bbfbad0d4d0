using System.Text;
using FibRpc.Engine;

namespace FibRpc.Engine.Tests;

/// <summary>
/// <see cref="FibonacciEngine.WithDecimal"/> hands out the digits from the computation's working memory (huge-page
/// native blocks, reused from call to call and never cleared): the text must be the reply's, byte for byte, at
/// every size and after larger computations have left other digits in that memory.
/// </summary>
public sealed class WithDecimalTests
{
    private static readonly FibonacciEngine Engine = new();

    [Theory]
    [InlineData(0)]
    [InlineData(93)]
    [InlineData(94)]
    [InlineData(4000)]
    [InlineData(100_001)]
    [InlineData(1_000_000)]
    public void Digits_are_the_reply(int n) =>
        Assert.Equal(Engine.ComputeDecimal(n).ToArray(), FibonacciEngine.WithDecimal(n, 0, static (digits, _) => digits.ToArray()));

    [Fact]
    public void Smaller_n_after_larger_ones_in_reused_memory()
    {
        foreach (var n in new[] { 300_000, 299_999, 20_000, 5_001, 150, 200_000 })
        {
            var expected = Encoding.ASCII.GetString(Engine.ComputeDecimal(n).Span);
            var text = FibonacciEngine.WithDecimal(n, 0, static (digits, _) => Encoding.ASCII.GetString(digits));
            Assert.Equal(expected, text);
        }
    }

    [Fact]
    public void Negative_n_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FibonacciEngine.WithDecimal(-1, 0, static (digits, _) => digits.Length));
}

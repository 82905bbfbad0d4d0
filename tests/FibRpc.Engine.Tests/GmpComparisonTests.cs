using FibRpc.Benchmarks.Gmp;
using FibRpc.Engine;

namespace FibRpc.Engine.Tests;

/// <summary>
/// Byte-for-byte comparison with GMP up to n = 10^6. Deliberately fails (never skips) where libgmp.so.10 is
/// missing, since it is the only independent check at these sizes.
/// </summary>
public sealed class GmpComparisonTests
{
    private const double DigitsPerIndex = 0.20898764024997873; // log10 of the golden ratio

    private readonly FibonacciEngine _engine = new();
    private readonly GmpFibonacci _gmp = new();

    public static TheoryData<int> Indices()
    {
        var data = new TheoryData<int> { 94, 1000, 10_000, 65_536, 100_000, 131_071, 131_072, 1_000_000 };

        // F(n) whose base-10^9 limb count sits at a power of two, where the transform length doubles.
        foreach (var limbs in new[] { 1024, 4096, 16384 })
        {
            var n = (int)(limbs * 9 / DigitsPerIndex);
            data.Add(n - 40);
            data.Add(n);
            data.Add(n + 40);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void Matches_gmp_exactly(int n)
    {
        GmpFibonacci.EnsureAvailable();
        var expected = _gmp.ComputeDecimal(n);
        var actual = _engine.ComputeDecimal(n);
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Span.SequenceEqual(actual.Span), $"F({n}) differs from GMP");
    }

    [Fact]
    public void Gmp_reference_agrees_with_small_values() =>
        Assert.Equal("55", _gmp.Decimal(10));
}

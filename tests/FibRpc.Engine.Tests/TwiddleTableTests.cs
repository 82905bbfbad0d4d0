using FibRpc.Engine.Ntt;

namespace FibRpc.Engine.Tests;

/// <summary>
/// The twiddle tables are built level by level, grown from the smaller table and with the inverse derived from the
/// forward one; every entry must still be the power of the root it stands for, with its exact Shoup companion.
/// </summary>
public sealed class TwiddleTableTests
{
    [Fact]
    public void Entries_are_powers_of_the_level_root_with_exact_shoup_companions()
    {
        AssertTable<NttPrime0>();
        AssertTable<NttPrime1>();
        AssertTable<NttPrime2>();
    }

    private static void AssertTable<TPrime>()
        where TPrime : struct, INttPrime
    {
        // The tables are shared by the whole process and only grow: look at whatever is there, then grow it by one
        // level (bounded, so a large table left by another test is not doubled again). A test running beside this
        // one may grow it further in between: at least one level more is what this asks for.
        var before = TwiddleTable<TPrime>.ForSize(12);
        AssertEntries(before);
        if (before.Log2 < 18)
        {
            var grown = TwiddleTable<TPrime>.ForSize(before.Log2 + 1);
            Assert.True(grown.Log2 > before.Log2, $"asked for 2^{before.Log2 + 1}, got a table of 2^{grown.Log2}");
            AssertEntries(grown);
        }
    }

    private static void AssertEntries<TPrime>(TwiddleTable<TPrime> table)
        where TPrime : struct, INttPrime
    {
        var random = new Random(12345);
        for (var h = 1; h < 1 << table.Log2; h *= 2)
        {
            var root = ModArith<TPrime>.Pow(TPrime.Generator, (TPrime.P - 1) / (2 * (ulong)h));
            var inverseRoot = ModArith<TPrime>.Inverse(root);

            // Every entry of the small levels, a sample of the large ones.
            var samples = h <= 4096 ? Enumerable.Range(0, h) : Enumerable.Range(0, 512).Select(_ => random.Next(h));
            foreach (var j in samples)
            {
                var w = ModArith<TPrime>.Pow(root, (ulong)j);
                var wi = ModArith<TPrime>.Pow(inverseRoot, (ulong)j);
                Assert.Equal(w, table.Forward[h + j]);
                Assert.Equal(ModArith<TPrime>.ShoupOf(w), table.ForwardShoup[h + j]);
                Assert.Equal(wi, table.Inverse[h + j]);
                Assert.Equal(ModArith<TPrime>.ShoupOf(wi), table.InverseShoup[h + j]);
            }
        }
    }
}

/// <summary>The size hint for the largest product of F(n) (tables and scratch are reserved from it) is exact.</summary>
public sealed class LargestTransformTests
{
    [Fact]
    public void Hint_matches_the_transform_of_the_last_product()
    {
        var random = new Random(2024);
        var indices = Enumerable.Range(0, 300).Select(_ => random.Next(94, 400_000))
            .Concat([94, 95, 4000, 4001, 8161, 8162, 100_000, 100_001, 1_000_000, 1_000_001]);
        foreach (var n in indices)
        {
            var k = n >> 1;
            var a = Limbs(BigIntegerFibonacci.Compute(k));
            var b = Limbs(BigIntegerFibonacci.Compute(k + 1));
            var expected = Math.Max(a, b) <= DecimalFibonacci.SchoolbookLimbs
                ? 0
                : DecimalConvolution.Log2For((n & 1) == 1
                    ? DecimalConvolution.CoefficientCount(a, b, ConvolutionKind.SumOfSquares)
                    : DecimalConvolution.CoefficientCount(a, Limbs(BigIntegerFibonacci.Compute(k - 1) + BigIntegerFibonacci.Compute(k + 1)), ConvolutionKind.Product));
            Assert.True(expected == DecimalFibonacci.LargestTransformLog2(n), $"n = {n}: hint {DecimalFibonacci.LargestTransformLog2(n)}, last product 2^{expected}");
        }
    }

    private static int Limbs(System.Numerics.BigInteger value) => (value.ToString().Length + 8) / 9;
}

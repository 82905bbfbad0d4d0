using System.Numerics;
using FibRpc.Engine;
using FibRpc.Engine.Ntt;
using Xunit.Abstractions;

namespace FibRpc.Engine.Tests;

/// <summary>The base-10^9 building blocks on random and extreme operands, against BigInteger.</summary>
public sealed class DecimalArithmeticTests(ITestOutputHelper output)
{
    private const uint Base = 1_000_000_000;

    [Fact]
    public void Schoolbook_pair_is_exact_and_normalised()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        for (var i = 0; i < 300; i++)
        {
            var a = RandomLimbs(random, random.Next(0, DecimalFibonacci.SchoolbookLimbs + 1));
            var b = RandomLimbs(random, random.Next(0, DecimalFibonacci.SchoolbookLimbs + 1));
            var room = (2 * Math.Max(a.Length, b.Length)) + 1;
            var s = new uint[room];
            var t = new uint[room];
            var (sLength, tLength) = SchoolbookDoubling.Pair(a, b, s, t);
            BigInteger x = ToBig(a), y = ToBig(b);
            AssertLimbs((x * x) + (y * y), s.AsSpan(0, sLength), $"a^2 + b^2, seed {seed}");
            AssertLimbs(y * ((2 * x) + y), t.AsSpan(0, tLength), $"b(2a + b), seed {seed}");
        }
    }

    [Theory]
    [InlineData(nameof(ConvolutionKind.Product))]
    [InlineData(nameof(ConvolutionKind.SumOfSquares))]
    [InlineData(nameof(ConvolutionKind.DoublingPair))]
    public void Transform_products_are_exact_and_normalised(string kindName)
    {
        var kind = Enum.Parse<ConvolutionKind>(kindName);
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        for (var i = 0; i < 10; i++)
        {
            // The last case has every limb at its maximum: the largest coefficients the CRT must recover.
            var length = i == 9 ? 3000 : random.Next(1, 2500);
            var a = i == 9 ? Enumerable.Repeat(Base - 1, length).ToArray() : RandomLimbs(random, length);
            var b = i == 9 ? Enumerable.Repeat(Base - 1, length).ToArray() : RandomLimbs(random, random.Next(1, 2500));
            var room = DecimalConvolution.CoefficientCount(a.Length, b.Length, kind) + 3;
            var first = new uint[room];
            var second = new uint[room];
            var (firstLength, secondLength) = DecimalConvolution.Compute(a, b, kind, first, second, default);
            BigInteger x = ToBig(a), y = ToBig(b);
            var message = $"{kind}, lengths {a.Length} and {b.Length}, seed {seed}";
            AssertLimbs(kind == ConvolutionKind.Product ? x * y : (x * x) + (y * y), first.AsSpan(0, firstLength), message);
            if (kind == ConvolutionKind.DoublingPair)
            {
                AssertLimbs(y * ((2 * x) + y), second.AsSpan(0, secondLength), message);
            }
        }
    }

    [Fact]
    public void Subtraction_borrows_across_limbs()
    {
        uint[] x = [0, 0, 1];
        var length = DecimalLimbs.SubtractInPlace(x, [1]);
        AssertLimbs(BigInteger.Pow(Base, 2) - 1, x.AsSpan(0, length), "10^18 - 1");
        Assert.Throws<InvalidOperationException>(() => DecimalLimbs.SubtractInPlace(new uint[] { 1 }, [2]));
    }

    private static uint[] RandomLimbs(Random random, int length)
    {
        var limbs = new uint[length];
        for (var i = 0; i < length; i++)
        {
            // A third of the limbs at the extremes, where carries and overflows hide.
            limbs[i] = random.Next(3) switch
            {
                0 => Base - 1 - (uint)random.Next(3),
                1 => (uint)random.Next(3),
                _ => (uint)random.Next((int)Base),
            };
        }

        return limbs;
    }

    private static BigInteger ToBig(ReadOnlySpan<uint> limbs)
    {
        BigInteger value = 0;
        for (var i = limbs.Length - 1; i >= 0; i--)
        {
            value = (value * Base) + limbs[i];
        }

        return value;
    }

    /// <summary>Exact value, every limb below the base, and no leading zero limb.</summary>
    private static void AssertLimbs(BigInteger expected, ReadOnlySpan<uint> limbs, string message)
    {
        for (var i = 0; i < limbs.Length; i++)
        {
            Assert.True(limbs[i] < Base, $"limb {i} = {limbs[i]} is not normalised ({message})");
        }

        Assert.True(limbs.Length == 0 || limbs[^1] != 0, $"leading zero limb ({message})");
        Assert.True(expected == ToBig(limbs), $"wrong value ({message})");
    }
}

using System.Numerics;

namespace FibRpc.Fibonacci.Ntt;

/// <summary>
/// Exact products of base-10^9 numbers through three number-theoretic transforms and the Chinese remainder theorem,
/// with the carries propagated directly in base 10^9. Cost O(L log L) for L limbs; scratch is 24 bytes per transform
/// point (two buffers per prime), from <see cref="ScratchArrays"/> and released before the call ends.
/// </summary>
internal static class DecimalConvolution
{
    private const ulong P0 = 2013265921;
    private const ulong P1 = 1811939329;
    private const ulong P2 = 469762049;
    private const ulong P0P1 = P0 * P1;

    private static readonly uint InvP0ModP1 = ModArith<NttPrime1>.Inverse((uint)(P0 % P1));
    private static readonly uint InvP0P1ModP2 = ModArith<NttPrime2>.Inverse((uint)(P0P1 % P2));

    /// <summary>Number of coefficients of the convolution(s): squares of the longer operand set it for those kinds.</summary>
    public static int CoefficientCount(int xLength, int yLength, ConvolutionKind kind) =>
        kind == ConvolutionKind.Product ? xLength + yLength - 1 : (2 * Math.Max(xLength, yLength)) - 1;

    /// <summary>
    /// Computes the convolution(s) of <paramref name="kind"/>. Results go to <paramref name="first"/> (x*y or
    /// x^2 + y^2) and, for <see cref="ConvolutionKind.DoublingPair"/>, <paramref name="second"/> (y(2x + y)). Both
    /// need <see cref="CoefficientCount"/> + 3 limbs of room. Returns the trimmed lengths. The token is checked
    /// between primes, so even a single huge product stops within a third of its time.
    /// </summary>
    public static (int First, int Second) Compute(
        ReadOnlySpan<uint> x,
        ReadOnlySpan<uint> y,
        ConvolutionKind kind,
        Span<uint> first,
        Span<uint> second,
        CancellationToken cancellationToken)
    {
        var count = CoefficientCount(x.Length, y.Length, kind);
        var log2 = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)count));
        var n = 1 << log2;
        var rented = ScratchArrays.Rent(6 * n);
        try
        {
            var scratch = rented.AsSpan(0, 6 * n);
            var x0 = scratch[..n];
            var y0 = scratch.Slice(n, n);
            var x1 = scratch.Slice(2 * n, n);
            var y1 = scratch.Slice(3 * n, n);
            var x2 = scratch.Slice(4 * n, n);
            var y2 = scratch.Slice(5 * n, n);
            PerPrime<NttPrime0>.Run(x, y, kind, x0, y0, log2);
            cancellationToken.ThrowIfCancellationRequested();
            PerPrime<NttPrime1>.Run(x, y, kind, x1, y1, log2);
            cancellationToken.ThrowIfCancellationRequested();
            PerPrime<NttPrime2>.Run(x, y, kind, x2, y2, log2);
            var firstLength = Recombine(x0, x1, x2, count, first);
            var secondLength = kind == ConvolutionKind.DoublingPair ? Recombine(y0, y1, y2, count, second) : 0;
            return (firstLength, secondLength);
        }
        finally
        {
            ScratchArrays.Return(rented);
        }
    }

    /// <summary>
    /// Garner's CRT on the three residues of each coefficient, then carry propagation in base 10^9. A coefficient
    /// is below 2^87, the running value below 2^88, so UInt128 holds it and the carry.
    /// </summary>
    private static int Recombine(
        ReadOnlySpan<uint> r0, ReadOnlySpan<uint> r1, ReadOnlySpan<uint> r2, int count, Span<uint> destination)
    {
        UInt128 carry = 0;
        var i = 0;
        for (; i < count; i++)
        {
            ulong a0 = r0[i];
            var a1 = ModArith<NttPrime1>.Mul(ModArith<NttPrime1>.Sub(r1[i], (uint)(a0 % P1)), InvP0ModP1);
            var low = a0 + (P0 * a1); // < P0 * P1 < 2^62
            var a2 = ModArith<NttPrime2>.Mul(ModArith<NttPrime2>.Sub(r2[i], (uint)(low % P2)), InvP0P1ModP2);
            var value = (UInt128)low + ((UInt128)P0P1 * a2) + carry;
            destination[i] = DecimalLimbs.DivRemBase(value, out carry);
        }

        while (carry != 0)
        {
            destination[i++] = DecimalLimbs.DivRemBase(carry, out carry);
        }

        return DecimalLimbs.Trim(destination, i);
    }

    /// <summary>Transforms, pointwise combination and inverse transforms modulo one prime.</summary>
    private static class PerPrime<TPrime>
        where TPrime : struct, INttPrime
    {
        public static void Run(
            ReadOnlySpan<uint> x, ReadOnlySpan<uint> y, ConvolutionKind kind, Span<uint> bx, Span<uint> by, int log2)
        {
            var table = TwiddleTable<TPrime>.ForSize(log2);
            Load(x, bx);
            NumberTheoreticTransform<TPrime>.Forward(bx, table);
            Load(y, by);
            NumberTheoreticTransform<TPrime>.Forward(by, table);

            var invN = ModArith<TPrime>.Inverse((uint)bx.Length);
            var invNShoup = ModArith<TPrime>.ShoupOf(invN);
            switch (kind)
            {
                case ConvolutionKind.Product:
                    for (var i = 0; i < bx.Length; i++)
                    {
                        bx[i] = ModArith<TPrime>.MulShoup(ModArith<TPrime>.Mul(bx[i], by[i]), invN, invNShoup);
                    }

                    break;
                case ConvolutionKind.SumOfSquares:
                    for (var i = 0; i < bx.Length; i++)
                    {
                        var s = ModArith<TPrime>.Add(ModArith<TPrime>.Mul(bx[i], bx[i]), ModArith<TPrime>.Mul(by[i], by[i]));
                        bx[i] = ModArith<TPrime>.MulShoup(s, invN, invNShoup);
                    }

                    break;
                default:
                    for (var i = 0; i < bx.Length; i++)
                    {
                        uint a = bx[i], b = by[i];
                        var bb = ModArith<TPrime>.Mul(b, b);
                        var s = ModArith<TPrime>.Add(ModArith<TPrime>.Mul(a, a), bb);
                        var t = ModArith<TPrime>.Add(ModArith<TPrime>.Mul(ModArith<TPrime>.Add(a, a), b), bb);
                        bx[i] = ModArith<TPrime>.MulShoup(s, invN, invNShoup);
                        by[i] = ModArith<TPrime>.MulShoup(t, invN, invNShoup);
                    }

                    break;
            }

            NumberTheoreticTransform<TPrime>.InverseUnscaled(bx, table);
            if (kind == ConvolutionKind.DoublingPair)
            {
                NumberTheoreticTransform<TPrime>.InverseUnscaled(by, table);
            }
        }

        private static void Load(ReadOnlySpan<uint> source, Span<uint> destination)
        {
            if (TPrime.P > DecimalLimbs.Base)
            {
                source.CopyTo(destination);
            }
            else
            {
                for (var i = 0; i < source.Length; i++)
                {
                    destination[i] = source[i] % TPrime.P;
                }
            }

            destination[source.Length..].Clear();
        }
    }
}

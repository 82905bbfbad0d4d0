using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    private static readonly uint InvP0ModP1Shoup = ModArith<NttPrime1>.ShoupOf(InvP0ModP1);
    private static readonly uint InvP0ModP2 = ModArith<NttPrime2>.Inverse((uint)(P0 % P2));
    private static readonly uint InvP0ModP2Shoup = ModArith<NttPrime2>.ShoupOf(InvP0ModP2);
    private static readonly uint InvP1ModP2 = ModArith<NttPrime2>.Inverse((uint)(P1 % P2));
    private static readonly uint InvP1ModP2Shoup = ModArith<NttPrime2>.ShoupOf(InvP1ModP2);

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
    /// is below 2^87 and the carry below 2^58, so the running value fits two 64-bit words; every reduction is by a
    /// constant (Shoup multiplications, or divisions the JIT turns into multiplications).
    /// x = a0 + P0 a1 + P0 P1 a2 with a1 = (r1 - a0) / P0 mod P1 and a2 = ((r2 - a0) / P0 - a1) / P1 mod P2.
    /// </summary>
    private static int Recombine(
        ReadOnlySpan<uint> r0, ReadOnlySpan<uint> r1, ReadOnlySpan<uint> r2, int count, Span<uint> destination)
    {
        ulong carry = 0;
        var i = 0;
        for (; i < count; i++)
        {
            var a0 = r0[i];
            var a1 = ModArith<NttPrime1>.MulShoup(
                ModArith<NttPrime1>.Sub(r1[i], a0 >= (uint)P1 ? a0 - (uint)P1 : a0), InvP0ModP1, InvP0ModP1Shoup);
            var u = ModArith<NttPrime2>.MulShoup(
                ModArith<NttPrime2>.Sub(r2[i], a0 % (uint)P2), InvP0ModP2, InvP0ModP2Shoup);
            var a2 = ModArith<NttPrime2>.MulShoup(
                ModArith<NttPrime2>.Sub(u, a1 % (uint)P2), InvP1ModP2, InvP1ModP2Shoup);

            // value = a0 + P0 a1 + P0 P1 a2 + carry as (high, low) words.
            var high = Math.BigMul(P0P1, a2, out var low);
            var add = a0 + (P0 * a1); // < P0 P1 < 2^62
            low += add;
            high += low < add ? 1UL : 0UL;
            low += carry;
            high += low < carry ? 1UL : 0UL;

            // Divide by 10^9 in two steps of 32 bits; high < 2^27, so every partial value fits 64 bits.
            var top = (high << 32) | (low >> 32);
            var q1 = top / DecimalLimbs.Base;
            var rest = ((top - (q1 * DecimalLimbs.Base)) << 32) | (uint)low;
            var q2 = rest / DecimalLimbs.Base;
            destination[i] = (uint)(rest - (q2 * DecimalLimbs.Base));
            carry = (q1 << 32) + q2;
        }

        for (; carry != 0; i++)
        {
            var q = carry / DecimalLimbs.Base;
            destination[i] = (uint)(carry - (q * DecimalLimbs.Base));
            carry = q;
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
            if (VectorModArith<TPrime>.IsSupported && bx.Length % Vector256<uint>.Count == 0)
            {
                PointwiseVector(bx, by, kind, invN);
            }
            else
            {
                PointwiseScalar(bx, by, kind, invN);
            }

            NumberTheoreticTransform<TPrime>.InverseUnscaled(bx, table);
            if (kind == ConvolutionKind.DoublingPair)
            {
                NumberTheoreticTransform<TPrime>.InverseUnscaled(by, table);
            }
        }

        /// <summary>The pointwise combination of the transforms, scaled by 1/N, written over them.</summary>
        private static void PointwiseScalar(Span<uint> bx, Span<uint> by, ConvolutionKind kind, uint invN)
        {
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
        }

        /// <summary>
        /// <see cref="PointwiseScalar"/> on eight lanes. Montgomery products carry a factor 2^-32, cancelled by
        /// scaling with 2^32/N instead of 1/N.
        /// </summary>
        private static void PointwiseVector(Span<uint> bx, Span<uint> by, ConvolutionKind kind, uint invN)
        {
            var scale = ModArith<TPrime>.Mul(invN, VectorModArith<TPrime>.MontgomeryFactor);
            var w = Vector256.Create(scale);
            var ws = Vector256.Create(ModArith<TPrime>.ShoupOf(scale));
            ref var x = ref MemoryMarshal.GetReference(bx);
            ref var y = ref MemoryMarshal.GetReference(by);
            for (nuint i = 0; i < (nuint)bx.Length; i += (nuint)Vector256<uint>.Count)
            {
                var a = Vector256.LoadUnsafe(ref x, i);
                var b = Vector256.LoadUnsafe(ref y, i);
                switch (kind)
                {
                    case ConvolutionKind.Product:
                        VectorModArith<TPrime>.MulShoup(VectorModArith<TPrime>.MontgomeryMultiply(a, b), w, ws).StoreUnsafe(ref x, i);
                        break;
                    case ConvolutionKind.SumOfSquares:
                        var sum = VectorModArith<TPrime>.Add(
                            VectorModArith<TPrime>.MontgomeryMultiply(a, a), VectorModArith<TPrime>.MontgomeryMultiply(b, b));
                        VectorModArith<TPrime>.MulShoup(sum, w, ws).StoreUnsafe(ref x, i);
                        break;
                    default:
                        var bb = VectorModArith<TPrime>.MontgomeryMultiply(b, b);
                        var s = VectorModArith<TPrime>.Add(VectorModArith<TPrime>.MontgomeryMultiply(a, a), bb);
                        var t = VectorModArith<TPrime>.Add(
                            VectorModArith<TPrime>.MontgomeryMultiply(VectorModArith<TPrime>.Add(a, a), b), bb);
                        VectorModArith<TPrime>.MulShoup(s, w, ws).StoreUnsafe(ref x, i);
                        VectorModArith<TPrime>.MulShoup(t, w, ws).StoreUnsafe(ref y, i);
                        break;
                }
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

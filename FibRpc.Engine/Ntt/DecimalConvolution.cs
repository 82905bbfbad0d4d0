using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FibRpc.Engine.Ntt;

/// <summary>
/// Exact products of base-10^9 numbers through three number-theoretic transforms and the Chinese remainder theorem,
/// with the carries propagated directly in base 10^9. Cost O(L log L) for L limbs; scratch is 24 bytes per transform
/// point (two buffers per prime).
/// </summary>
internal static class DecimalConvolution
{
    private const ulong P0 = 2013265921;
    private const ulong P1 = 1811939329;
    private const ulong P2 = 469762049;
    private const ulong P0P1 = P0 * P1;

    // Base-10^9 digits of P0 and P0 P1, for writing CRT results directly in base 10^9.
    private const ulong P0Digit0 = P0 % DecimalLimbs.Base;
    private const ulong P0Digit1 = P0 / DecimalLimbs.Base;
    private const ulong P0P1Digit0 = P0P1 % DecimalLimbs.Base;
    private const ulong P0P1Digit1 = P0P1 / DecimalLimbs.Base % DecimalLimbs.Base;
    private const ulong P0P1Digit2 = P0P1 / DecimalLimbs.Base / DecimalLimbs.Base;

    private static readonly uint InvP0ModP1 = ModArith<NttPrime1>.Inverse((uint)(P0 % P1));
    private static readonly uint InvP0ModP1Shoup = ModArith<NttPrime1>.ShoupOf(InvP0ModP1);
    private static readonly uint InvP0ModP2 = ModArith<NttPrime2>.Inverse((uint)(P0 % P2));
    private static readonly uint InvP0ModP2Shoup = ModArith<NttPrime2>.ShoupOf(InvP0ModP2);
    private static readonly uint InvP1ModP2 = ModArith<NttPrime2>.Inverse((uint)(P1 % P2));
    private static readonly uint InvP1ModP2Shoup = ModArith<NttPrime2>.ShoupOf(InvP1ModP2);

    /// <summary>Number of coefficients of the convolution(s): squares of the longer operand set it for those kinds.</summary>
    public static int CoefficientCount(int xLength, int yLength, ConvolutionKind kind) =>
        kind == ConvolutionKind.Product ? xLength + yLength - 1 : (2 * Math.Max(xLength, yLength)) - 1;

    /// <summary>Transform length (log2) for a convolution of <paramref name="count"/> coefficients.</summary>
    public static int Log2For(int count) => BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)count));

    /// <summary>Scratch that <see cref="Compute"/> needs for transforms of 2^log2 points.</summary>
    public static int WorkspaceLength(int log2) => 6 << log2;

    /// <summary>
    /// Builds the twiddle tables of all three primes for transforms up to 2^log2 points now, so that a caller that
    /// knows its largest product (a whole F(n)) has them built once at their final size, not regrown at every step.
    /// </summary>
    public static void Reserve(int log2)
    {
        TwiddleTable<NttPrime0>.ForSize(log2);
        TwiddleTable<NttPrime1>.ForSize(log2);
        TwiddleTable<NttPrime2>.ForSize(log2);
    }

    /// <summary>
    /// Computes the convolution(s) of <paramref name="kind"/>. Results go to <paramref name="first"/> (x*y or
    /// x^2 + y^2) and, for <see cref="ConvolutionKind.DoublingPair"/>, <paramref name="second"/> (y(2x + y)). Both
    /// need <see cref="CoefficientCount"/> + 3 limbs of room. Returns the trimmed lengths. The token is checked
    /// between primes, so even a single huge product stops within a third of its time. Runs in
    /// <paramref name="workspace"/> when it holds <see cref="WorkspaceLength"/> elements for this product (a caller
    /// running many products of growing size passes one for the largest), else in an array of its own.
    /// </summary>
    public static (int First, int Second) Compute(
        ReadOnlySpan<uint> x,
        ReadOnlySpan<uint> y,
        ConvolutionKind kind,
        Span<uint> first,
        Span<uint> second,
        Span<uint> workspace,
        CancellationToken cancellationToken = default)
    {
        var count = CoefficientCount(x.Length, y.Length, kind);
        var log2 = Log2For(count);
        var n = 1 << log2;
        var length = WorkspaceLength(log2);
        var scratch = workspace.Length >= length ? workspace[..length] : GC.AllocateUninitializedArray<uint>(length);
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

    /// <summary>
    /// The CRT and carry propagation in base 10^9. Garner's mixed-radix digits come first, eight lanes at a time
    /// (<see cref="Garner"/>); then x = a0 + P0 a1 + P0 P1 a2 is written directly in base 10^9 using the base-10^9
    /// digits of P0 and P0 P1, which keeps every partial sum within 64 bits. A coefficient is below 2^87 &lt; 10^27, so
    /// it splits into three digits d0 + d1 B + d2 B^2 without looking at its neighbours; only the sums
    /// d0(i) + d1(i-1) + d2(i-2) + carry are chained, and that carry is at most 2. (Propagating a full 58-bit carry
    /// through the divisions made every coefficient wait for the previous one, and this loop took a third of the
    /// whole computation.) The residue buffers r1 and r2 are overwritten.
    /// </summary>
    private static int Recombine(ReadOnlySpan<uint> r0, Span<uint> r1, Span<uint> r2, int count, Span<uint> destination)
    {
        const uint B = DecimalLimbs.Base;
        Garner(r0, r1, r2, count);
        uint pending = 0; // d1(i-1) + d2(i-2): what earlier coefficients add at position i
        uint pendingNext = 0; // d2(i-1): what they add at position i + 1
        uint carry = 0;
        var i = 0;
        for (; i < count; i++)
        {
            ulong a1 = r1[i], a2 = r2[i];
            var v0 = r0[i] + (P0Digit0 * a1) + (P0P1Digit0 * a2); // < 2^59
            var q0 = v0 / B;
            var v1 = (P0Digit1 * a1) + (P0P1Digit1 * a2) + q0; // < 2^59
            var q1 = v1 / B;
            var d0 = (uint)(v0 - (q0 * B));
            var d1 = (uint)(v1 - (q1 * B));
            var d2 = (uint)((P0P1Digit2 * a2) + q1); // x / B^2 < 2^87 / 10^18 < B

            var sum = d0 + pending + carry; // < 3B + 2 < 2^32
            carry = AtLeast(sum, B) + AtLeast(sum, 2 * B);
            destination[i] = sum - (carry * B);
            pending = pendingNext + d1;
            pendingNext = d2;
        }

        // What is left: pending at i, pendingNext at i + 1, and the carry.
        var remaining = pending + carry + ((ulong)pendingNext * B);
        for (; remaining != 0; i++)
        {
            var q = remaining / B;
            destination[i] = (uint)(remaining - (q * B));
            remaining = q;
        }

        return DecimalLimbs.Trim(destination, i);
    }

    /// <summary>
    /// Garner's mixed-radix digits of each coefficient x = a0 + P0 a1 + P0 P1 a2 from its residues, in place:
    /// a1 = (r1 - a0) / P0 mod P1 replaces r1 and a2 = ((r2 - a0) / P0 - a1) / P1 mod P2 replaces r2.
    /// </summary>
    private static void Garner(ReadOnlySpan<uint> r0, Span<uint> r1, Span<uint> r2, int count)
    {
        var i = 0;
        if (VectorModArith<NttPrime1>.IsSupported)
        {
            var p1 = Vector256.Create((uint)P1);
            var one = Vector256.Create(1u);
            var oneShoup = Vector256.Create(ModArith<NttPrime2>.ShoupOf(1)); // x * 1 reduces any x below 2^32
            var inv01 = Vector256.Create(InvP0ModP1);
            var inv01Shoup = Vector256.Create(InvP0ModP1Shoup);
            var inv02 = Vector256.Create(InvP0ModP2);
            var inv02Shoup = Vector256.Create(InvP0ModP2Shoup);
            var inv12 = Vector256.Create(InvP1ModP2);
            var inv12Shoup = Vector256.Create(InvP1ModP2Shoup);
            ref var x0 = ref MemoryMarshal.GetReference(r0);
            ref var x1 = ref MemoryMarshal.GetReference(r1);
            ref var x2 = ref MemoryMarshal.GetReference(r2);
            for (; i + Vector256<uint>.Count <= count; i += Vector256<uint>.Count)
            {
                var a0 = Vector256.LoadUnsafe(ref x0, (nuint)i);
                var a1 = VectorModArith<NttPrime1>.MulShoup(
                    VectorModArith<NttPrime1>.Sub(Vector256.LoadUnsafe(ref x1, (nuint)i), Vector256.Min(a0, a0 - p1)),
                    inv01,
                    inv01Shoup);
                var u = VectorModArith<NttPrime2>.MulShoup(
                    VectorModArith<NttPrime2>.Sub(
                        Vector256.LoadUnsafe(ref x2, (nuint)i), VectorModArith<NttPrime2>.MulShoup(a0, one, oneShoup)),
                    inv02,
                    inv02Shoup);
                var a2 = VectorModArith<NttPrime2>.MulShoup(
                    VectorModArith<NttPrime2>.Sub(u, VectorModArith<NttPrime2>.MulShoup(a1, one, oneShoup)),
                    inv12,
                    inv12Shoup);
                a1.StoreUnsafe(ref x1, (nuint)i);
                a2.StoreUnsafe(ref x2, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            var a0 = r0[i];
            var a1 = ModArith<NttPrime1>.MulShoup(
                ModArith<NttPrime1>.Sub(r1[i], ModArith<NttPrime1>.Reduce(a0 - (uint)P1)), InvP0ModP1, InvP0ModP1Shoup);
            var u = ModArith<NttPrime2>.MulShoup(
                ModArith<NttPrime2>.Sub(r2[i], a0 % (uint)P2), InvP0ModP2, InvP0ModP2Shoup);
            r1[i] = a1;
            r2[i] = ModArith<NttPrime2>.MulShoup(
                ModArith<NttPrime2>.Sub(u, a1 % (uint)P2), InvP1ModP2, InvP1ModP2Shoup);
        }
    }

    /// <summary>1 when value &gt;= bound, else 0, without a branch (the carries are unpredictable).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AtLeast(uint value, uint bound) => (uint)(((long)value - bound) >>> 63) ^ 1u;

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

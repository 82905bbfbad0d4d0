using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibRpc.Engine.Ntt;

/// <summary>
/// <see cref="ModArith{TPrime}"/> on eight lanes (AVX2). Reduction uses unsigned min: for s in [0, 2P),
/// min(s, s - P) is s - P exactly when s &gt;= P, because otherwise s - P wraps to a huge value.
/// </summary>
internal static class VectorModArith<TPrime>
    where TPrime : struct, INttPrime
{
    /// <summary>-1/P mod 2^32 for Montgomery reduction (Newton's iteration doubles the correct bits each round).</summary>
    private static readonly uint NegativeInverse = ComputeNegativeInverse();

    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>2^32 mod P: multiplying by it undoes the 2^-32 of one <see cref="MontgomeryMultiply"/>.</summary>
    public static uint MontgomeryFactor => (uint)((1UL << 32) % TPrime.P);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Add(Vector256<uint> a, Vector256<uint> b)
    {
        var s = a + b;
        return Vector256.Min(s, s - Vector256.Create(TPrime.P));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Sub(Vector256<uint> a, Vector256<uint> b)
    {
        var d = a - b;
        return Vector256.Min(d, d + Vector256.Create(TPrime.P));
    }

    /// <summary>Shoup's multiplication by fixed per-lane w with companions wShoup; see <see cref="ModArith{TPrime}.MulShoup"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> MulShoup(Vector256<uint> x, Vector256<uint> w, Vector256<uint> wShoup)
    {
        var q = MultiplyHigh(x, wShoup);
        var r = (x * w) - (q * Vector256.Create(TPrime.P));
        return Vector256.Min(r, r - Vector256.Create(TPrime.P));
    }

    /// <summary>
    /// a * b / 2^32 mod P (Montgomery's product) for reduced a and b: unlike Shoup's method it needs no
    /// precomputation for b, which is what the pointwise products of two transforms need. Each 64-bit half of
    /// the work covers the even or the odd lanes (vpmuludq).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> MontgomeryMultiply(Vector256<uint> a, Vector256<uint> b)
    {
        var p = Vector256.Create(TPrime.P);
        var inverse = Vector256.Create(NegativeInverse);
        var even = Avx2.Multiply(a, b);
        var odd = Avx2.Multiply(
            Vector256.ShiftRightLogical(a.AsUInt64(), 32).AsUInt32(),
            Vector256.ShiftRightLogical(b.AsUInt64(), 32).AsUInt32());

        // t + m P with m = t * (-1/P) mod 2^32 is divisible by 2^32 and below 2^64 (t < P^2 < 2^62).
        var evenReduced = Vector256.ShiftRightLogical(even + Avx2.Multiply(Avx2.Multiply(even.AsUInt32(), inverse).AsUInt32(), p), 32);
        var oddReduced = odd + Avx2.Multiply(Avx2.Multiply(odd.AsUInt32(), inverse).AsUInt32(), p);
        var r = evenReduced.AsUInt32() | (oddReduced & Vector256.Create(0xFFFF_FFFF_0000_0000UL)).AsUInt32();
        return Vector256.Min(r, r - p);
    }

    private static uint ComputeNegativeInverse()
    {
        var inverse = TPrime.P; // correct to 3 bits for odd P
        for (var i = 0; i < 4; i++)
        {
            inverse *= 2 - (TPrime.P * inverse);
        }

        return 0 - inverse;
    }

    /// <summary>High 32 bits of the lane-wise 64-bit products (vpmuludq works on even lanes only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> MultiplyHigh(Vector256<uint> a, Vector256<uint> b)
    {
        var even = Avx2.Multiply(a, b);
        var odd = Avx2.Multiply(
            Vector256.ShiftRightLogical(a.AsUInt64(), 32).AsUInt32(),
            Vector256.ShiftRightLogical(b.AsUInt64(), 32).AsUInt32());
        return (Vector256.ShiftRightLogical(even, 32) | (odd & Vector256.Create(0xFFFF_FFFF_0000_0000UL))).AsUInt32();
    }
}

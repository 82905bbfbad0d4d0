using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibRpc.Fibonacci.Ntt;

/// <summary>
/// <see cref="ModArith{TPrime}"/> on eight lanes (AVX2). Reduction uses unsigned min: for s in [0, 2P),
/// min(s, s - P) is s - P exactly when s &gt;= P, because otherwise s - P wraps to a huge value.
/// </summary>
internal static class VectorModArith<TPrime>
    where TPrime : struct, INttPrime
{
    public static bool IsSupported => Avx2.IsSupported;

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

using System.Runtime.CompilerServices;

namespace FibRpc.Engine.Ntt;

/// <summary>
/// Arithmetic modulo a transform prime; values are kept fully reduced in [0, P). Conditional corrections are
/// branch-free (a sign mask): on transform data they are unpredictable, and mispredicted branches made the CRT
/// loop several times slower.
/// </summary>
internal static class ModArith<TPrime>
    where TPrime : struct, INttPrime
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Add(uint a, uint b) => Reduce(a + b - TPrime.P);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Sub(uint a, uint b) => Reduce(a - b);

    /// <summary>a * b mod P for arbitrary reduced operands (the modulus is a constant, so % is a multiply).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mul(uint a, uint b) => (uint)((ulong)a * b % TPrime.P);

    /// <summary>
    /// Shoup's multiplication by a fixed w with precomputed wShoup = floor(w * 2^32 / P): two multiplications and
    /// one conditional subtraction instead of a 64-bit division. Valid for any x below 2^32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MulShoup(uint x, uint w, uint wShoup)
    {
        var q = (uint)(((ulong)x * wShoup) >> 32);
        var r = (x * w) - (q * TPrime.P); // in [0, 2P): wraps correctly in 32 bits
        return Reduce(r - TPrime.P);
    }

    /// <summary>Maps a value in [-P, P), as a wrapped 32-bit integer, to [0, P) by adding P when negative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Reduce(uint value) => value + (TPrime.P & (uint)((int)value >> 31));

    public static uint ShoupOf(uint w) => (uint)(((ulong)w << 32) / TPrime.P);

    public static uint Pow(uint b, ulong e)
    {
        uint result = 1;
        while (e != 0)
        {
            if ((e & 1) != 0)
            {
                result = Mul(result, b);
            }

            b = Mul(b, b);
            e >>= 1;
        }

        return result;
    }

    public static uint Inverse(uint a) => Pow(a, TPrime.P - 2);
}

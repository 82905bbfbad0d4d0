using System.Runtime.CompilerServices;

namespace FibRpc.Fibonacci.Ntt;

/// <summary>Arithmetic modulo a transform prime; values are kept fully reduced in [0, P).</summary>
internal static class ModArith<TPrime>
    where TPrime : struct, INttPrime
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Add(uint a, uint b)
    {
        var s = a + b; // < 2^32 because P < 2^31
        return s >= TPrime.P ? s - TPrime.P : s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Sub(uint a, uint b) => a >= b ? a - b : a - b + TPrime.P;

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
        return r >= TPrime.P ? r - TPrime.P : r;
    }

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

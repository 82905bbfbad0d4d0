namespace FibRpc.Engine.Ntt;

// The three primes of the transform. Their product (~2^90.5) bounds the exact convolution coefficients we can
// recover by CRT: with base 10^9 limbs a coefficient of x^2 + y^2 or y(2x + y) is below 3 * L * 10^18, which stays
// below the product for every length L the transforms support (2^26 limbs, F(n) for any int n).
// P0 and P1 exceed 10^9, so limbs need no reduction for them; P2 is the only other prime below 2^31 with 2^26 | p - 1.

/// <summary>2013265921 = 15 * 2^27 + 1.</summary>
internal readonly struct NttPrime0 : INttPrime
{
    public static uint P => 2013265921;

    public static uint Generator => 31;

    public static int MaxLog2 => 27;
}

/// <summary>1811939329 = 27 * 2^26 + 1.</summary>
internal readonly struct NttPrime1 : INttPrime
{
    public static uint P => 1811939329;

    public static uint Generator => 13;

    public static int MaxLog2 => 26;
}

/// <summary>469762049 = 7 * 2^26 + 1.</summary>
internal readonly struct NttPrime2 : INttPrime
{
    public static uint P => 469762049;

    public static uint Generator => 3;

    public static int MaxLog2 => 26;
}

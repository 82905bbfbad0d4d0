namespace FibRpc.Engine.Ntt;

/// <summary>
/// A prime p = c * 2^k + 1 below 2^31 for number-theoretic transforms. Implemented by structs so that generic code
/// is specialised per prime and the modulus is a JIT-time constant (division by it becomes a multiplication).
/// </summary>
internal interface INttPrime
{
    static abstract uint P { get; }

    /// <summary>A generator of the multiplicative group mod P.</summary>
    static abstract uint Generator { get; }

    /// <summary>The largest k with 2^k dividing P - 1: the longest supported transform is 2^k.</summary>
    static abstract int MaxLog2 { get; }
}

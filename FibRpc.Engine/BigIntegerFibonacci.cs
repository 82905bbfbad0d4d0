using System.Numerics;

namespace FibRpc.Engine;

/// <summary>
/// Plain fast doubling over <see cref="BigInteger"/>. Kept as the simple, obviously correct reference that the
/// fast engine is measured and tested against; the service itself does not use it.
/// </summary>
public static class BigIntegerFibonacci
{
    /// <summary>F(n) by fast doubling: F(2k) = F(k)(2F(k+1) - F(k)), F(2k+1) = F(k)^2 + F(k+1)^2.</summary>
    public static BigInteger Compute(int n, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        BigInteger a = BigInteger.Zero, b = BigInteger.One; // F(k), F(k+1) with k = 0
        for (var bit = 31 - BitOperations.LeadingZeroCount((uint)n); bit >= 0; bit--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var c = a * ((b << 1) - a);
            var d = (a * a) + (b * b);
            if (((n >> bit) & 1) == 0)
            {
                (a, b) = (c, d);
            }
            else
            {
                (a, b) = (d, c + d);
            }
        }

        return a;
    }
}

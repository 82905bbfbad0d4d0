using System.Globalization;
using System.Numerics;
using System.Text;

namespace FibRpc.Fibonacci;

/// <summary>Fast doubling over <see cref="BigInteger"/>: O(log n) multiplications.</summary>
public sealed class FibonacciEngine : IFibonacciEngine
{
    public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var value = Compute(n, cancellationToken);
        return Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
    }

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

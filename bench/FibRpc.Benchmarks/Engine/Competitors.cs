using System.Globalization;
using System.Numerics;
using System.Text;
using FibRpc.Engine;

namespace FibRpc.Benchmarks.Engine;

/// <summary>
/// The textbook ways to compute F(n) that the engine replaces. Each returns the same thing the service sends: the
/// ASCII decimal digits.
/// </summary>
internal static class Competitors
{
    /// <summary>The original engine: <see cref="BigIntegerFibonacci"/>, then the quadratic decimal conversion of <see cref="BigInteger.ToString()"/>.</summary>
    public static ReadOnlyMemory<byte> BigIntegerDoubling(int n) =>
        Encoding.ASCII.GetBytes(BigIntegerFibonacci.Compute(n).ToString(CultureInfo.InvariantCulture));

    /// <summary>The doubly recursive definition used by the classic RPC tutorials: O(phi^n) calls.</summary>
    public static ReadOnlyMemory<byte> NaiveRecursion(int n) =>
        Encoding.ASCII.GetBytes(Fib(n).ToString(CultureInfo.InvariantCulture));

    /// <summary>n additions of growing BigIntegers (quadratic in n), then BigInteger.ToString (quadratic).</summary>
    public static ReadOnlyMemory<byte> IterativeLoop(int n)
    {
        BigInteger a = 0, b = 1;
        for (var i = 0; i < n; i++)
        {
            (a, b) = (b, a + b);
        }

        return Encoding.ASCII.GetBytes(a.ToString(CultureInfo.InvariantCulture));
    }

    private static ulong Fib(int n) => n < 2 ? (ulong)n : Fib(n - 1) + Fib(n - 2);
}

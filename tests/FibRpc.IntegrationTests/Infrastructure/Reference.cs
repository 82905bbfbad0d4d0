using System.Globalization;
using System.Numerics;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>An independent, obviously correct F(n): the plain iterative loop.</summary>
public static class Reference
{
    public static string Fibonacci(int n)
    {
        BigInteger a = 0, b = 1;
        for (var i = 0; i < n; i++)
        {
            (a, b) = (b, a + b);
        }

        return a.ToString(CultureInfo.InvariantCulture);
    }
}

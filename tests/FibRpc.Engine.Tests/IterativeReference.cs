using System.Numerics;

namespace FibRpc.Engine.Tests;

/// <summary>
/// The simplest possible F(n): add the previous two, n times. Independent of every engine under test (it shares
/// no code with them), and fast enough up to a few tens of thousands.
/// </summary>
internal static class IterativeReference
{
    /// <summary>F(0), F(1), ..., F(count - 1).</summary>
    public static BigInteger[] Sequence(int count)
    {
        var values = new BigInteger[count];
        BigInteger a = 0, b = 1;
        for (var i = 0; i < count; i++)
        {
            values[i] = a;
            (a, b) = (b, a + b);
        }

        return values;
    }
}

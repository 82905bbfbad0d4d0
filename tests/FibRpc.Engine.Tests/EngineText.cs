using System.Globalization;
using System.Numerics;
using System.Text;
using FibRpc.Engine;

namespace FibRpc.Engine.Tests;

/// <summary>Reading engine replies in tests.</summary>
internal static class EngineText
{
    public static string Decimal(this IFibonacciEngine engine, int n) =>
        Encoding.ASCII.GetString(engine.ComputeDecimal(n).Span);

    /// <summary>Parses a reply, first checking it is canonical: digits only, no leading zero.</summary>
    public static BigInteger Value(this IFibonacciEngine engine, int n)
    {
        var text = engine.Decimal(n);
        Assert.Matches("^(0|[1-9][0-9]*)$", text);
        return BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}

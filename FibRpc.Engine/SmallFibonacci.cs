using System.Globalization;
using System.Text;

namespace FibRpc.Engine;

/// <summary>
/// F(0)..F(93), every Fibonacci number that fits a <see cref="ulong"/>, with their decimal text built once.
/// Replies are immutable and shareable, so small requests return a cached array: no allocation, no arithmetic.
/// </summary>
internal static class SmallFibonacci
{
    /// <summary>F(93) = 12200160415121876738 is the largest Fibonacci number below 2^64.</summary>
    public const int MaxN = 93;

    private static readonly ulong[] Values = BuildValues();
    private static readonly ReadOnlyMemory<byte>[] Texts = BuildTexts(Values);

    public static ulong Value(int n) => Values[n];

    public static ReadOnlyMemory<byte> Decimal(int n) => Texts[n];

    private static ulong[] BuildValues()
    {
        var values = new ulong[MaxN + 1];
        values[1] = 1;
        for (var i = 2; i <= MaxN; i++)
        {
            values[i] = values[i - 1] + values[i - 2];
        }

        return values;
    }

    private static ReadOnlyMemory<byte>[] BuildTexts(ulong[] values)
    {
        var texts = new ReadOnlyMemory<byte>[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            texts[i] = Encoding.ASCII.GetBytes(values[i].ToString(CultureInfo.InvariantCulture));
        }

        return texts;
    }
}

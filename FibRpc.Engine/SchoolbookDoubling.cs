using System.Runtime.CompilerServices;

namespace FibRpc.Engine;

/// <summary>
/// One doubling step on short numbers: s = a^2 + b^2 and t = b(2a + b) = 2ab + b^2 in a single pass over the
/// output columns, summing a^2, b^2 and ab together. Squares use each cross product once (x_i x_j = x_j x_i), so a
/// step costs 2L^2 limb products instead of 3L^2, and each column is reduced once instead of every product.
/// Below <see cref="DecimalFibonacci.SchoolbookLimbs"/> limbs this beats the transforms.
/// </summary>
internal static class SchoolbookDoubling
{
    /// <summary>Writes s and t (each needs 2 * max(|a|, |b|) + 1 limbs of room) and returns their trimmed lengths.</summary>
    public static (int S, int T) Pair(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, Span<uint> s, Span<uint> t)
    {
        var length = Math.Max(a.Length, b.Length);
        if (length == 0)
        {
            return (0, 0);
        }

        // Equal lengths keep the column bounds simple; operands are short, so the copies are cheap.
        Span<uint> x = stackalloc uint[length];
        Span<uint> y = stackalloc uint[length];
        a.CopyTo(x);
        b.CopyTo(y);
        x[a.Length..].Clear();
        y[b.Length..].Clear();

        ulong sCarry = 0, tCarry = 0;
        var columns = (2 * length) - 1;
        for (var k = 0; k < columns; k++)
        {
            var first = Math.Max(0, k - length + 1);
            var last = Math.Min(k, length - 1);

            // Column sums as (high, low) word pairs: at most SchoolbookLimbs products below 10^18 each (2^60), so
            // even doubled and summed they stay below 2^68. UInt128 did the same but cost a call per division.
            ulong xxHigh = 0, xxLow = 0, yyHigh = 0, yyLow = 0, xyHigh = 0, xyLow = 0;
            int i = first, j = last;
            for (; i < j; i++, j--)
            {
                Accumulate(ref xxHigh, ref xxLow, (ulong)x[i] * x[j]);
                Accumulate(ref yyHigh, ref yyLow, (ulong)y[i] * y[j]);
                Accumulate(ref xyHigh, ref xyLow, ((ulong)x[i] * y[j]) + ((ulong)x[j] * y[i]));
            }

            Double(ref xxHigh, ref xxLow);
            Double(ref yyHigh, ref yyLow);
            if (i == j)
            {
                Accumulate(ref xxHigh, ref xxLow, (ulong)x[i] * x[i]);
                Accumulate(ref yyHigh, ref yyLow, (ulong)y[i] * y[i]);
                Accumulate(ref xyHigh, ref xyLow, (ulong)x[i] * y[i]);
            }

            // s = xx + yy, t = 2xy + yy, each plus its carry.
            Accumulate(ref xxHigh, ref xxLow, sCarry);
            Add(ref xxHigh, ref xxLow, yyHigh, yyLow);
            Double(ref xyHigh, ref xyLow);
            Accumulate(ref xyHigh, ref xyLow, tCarry);
            Add(ref xyHigh, ref xyLow, yyHigh, yyLow);
            s[k] = DivRemBase(xxHigh, xxLow, out sCarry);
            t[k] = DivRemBase(xyHigh, xyLow, out tCarry);
        }

        // t = b(2a + b) can reach 3 * 10^(18 * length): the last carry may need two limbs.
        s[columns] = DivRemBase(0, sCarry, out sCarry);
        s[columns + 1] = (uint)sCarry;
        t[columns] = DivRemBase(0, tCarry, out tCarry);
        t[columns + 1] = (uint)tCarry;
        return (DecimalLimbs.Trim(s, columns + 2), DecimalLimbs.Trim(t, columns + 2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref ulong high, ref ulong low, ulong value)
    {
        low += value;
        high += low < value ? 1UL : 0UL;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref ulong high, ref ulong low, ulong otherHigh, ulong otherLow)
    {
        Accumulate(ref high, ref low, otherLow);
        high += otherHigh;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Double(ref ulong high, ref ulong low)
    {
        high = (high << 1) | (low >> 63);
        low <<= 1;
    }

    /// <summary>
    /// (high, low) mod 10^9 and the quotient, for values below 2^94, in two 64-bit steps of 32 bits each; the
    /// quotient fits 64 bits for the column sums here (below 2^68).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint DivRemBase(ulong high, ulong low, out ulong quotient)
    {
        var top = (high << 32) | (low >> 32);
        var q1 = top / DecimalLimbs.Base;
        var rest = ((top - (q1 * DecimalLimbs.Base)) << 32) | (uint)low;
        var q2 = rest / DecimalLimbs.Base;
        quotient = (q1 << 32) + q2;
        return (uint)(rest - (q2 * DecimalLimbs.Base));
    }
}

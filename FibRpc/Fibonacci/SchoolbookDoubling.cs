namespace FibRpc.Fibonacci;

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

        UInt128 sCarry = 0, tCarry = 0;
        var columns = (2 * length) - 1;
        for (var k = 0; k < columns; k++)
        {
            var first = Math.Max(0, k - length + 1);
            var last = Math.Min(k, length - 1);

            // A column sums at most `length` products below 10^18: far below 2^94, the limit of DivRemBase.
            UInt128 xx = 0, yy = 0, xy = 0;
            int i = first, j = last;
            for (; i < j; i++, j--)
            {
                xx += (ulong)x[i] * x[j];
                yy += (ulong)y[i] * y[j];
                xy += ((ulong)x[i] * y[j]) + ((ulong)x[j] * y[i]);
            }

            xx <<= 1;
            yy <<= 1;
            if (i == j)
            {
                xx += (ulong)x[i] * x[i];
                yy += (ulong)y[i] * y[i];
                xy += (ulong)x[i] * y[i];
            }

            s[k] = DecimalLimbs.DivRemBase(xx + yy + sCarry, out sCarry);
            t[k] = DecimalLimbs.DivRemBase((xy << 1) + yy + tCarry, out tCarry);
        }

        // t = b(2a + b) can reach 3 * 10^(18 * length): the last carry may need two limbs.
        s[columns] = DecimalLimbs.DivRemBase(sCarry, out sCarry);
        s[columns + 1] = (uint)sCarry;
        t[columns] = DecimalLimbs.DivRemBase(tCarry, out tCarry);
        t[columns + 1] = (uint)tCarry;
        return (DecimalLimbs.Trim(s, columns + 2), DecimalLimbs.Trim(t, columns + 2));
    }
}

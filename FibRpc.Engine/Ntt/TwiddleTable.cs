namespace FibRpc.Engine.Ntt;

/// <summary>
/// Roots of unity for transforms up to 2^Log2 points, laid out level by level so that every butterfly stage reads
/// its twiddles contiguously: entry h + j holds w_{2h}^j for h = 1, 2, 4, ..., 2^Log2 / 2 and j &lt; h.
/// Each root comes with its Shoup companion. Tables for smaller transforms are prefixes of larger ones, so one
/// grow-only table per prime serves every size; it costs 16 bytes per point (forward and inverse).
/// </summary>
/// <remarks>
/// Building the tables is most of the cost of a process's first large product (a command-line run computes one
/// F(n) and exits), so growth keeps the levels already built and adds only the new ones, and each level costs one
/// multiplication and one Shoup companion per odd entry: the even entries are the level below, and the inverse
/// table is the forward one mirrored and negated, with no arithmetic at all.
/// </remarks>
internal sealed class TwiddleTable<TPrime>
    where TPrime : struct, INttPrime
{
    /// <summary>Smallest table built: below this, rebuilding for every larger size costs more than it saves.</summary>
    private const int MinLog2 = 10;

    private static readonly Lock GrowLock = new();
    private static volatile TwiddleTable<TPrime>? current;

    private TwiddleTable(int log2, TwiddleTable<TPrime>? smaller)
    {
        Log2 = log2;
        var size = 1 << log2;

        // Every entry from 1 on is written below; entry 0 is never read. The tables live as long as the process, so
        // they go to the pinned heap: on the large object heap their 48 bytes per point counted towards its budget,
        // and the first F(10^6) of a process tipped it into a full collection.
        Forward = GC.AllocateUninitializedArray<uint>(size, pinned: true);
        ForwardShoup = GC.AllocateUninitializedArray<uint>(size, pinned: true);
        Inverse = GC.AllocateUninitializedArray<uint>(size, pinned: true);
        InverseShoup = GC.AllocateUninitializedArray<uint>(size, pinned: true);
        Forward[0] = ForwardShoup[0] = Inverse[0] = InverseShoup[0] = 0;

        int built;
        if (smaller is null)
        {
            // Level 1: w_2^0.
            Forward[1] = Inverse[1] = 1;
            ForwardShoup[1] = InverseShoup[1] = ModArith<TPrime>.ShoupOf(1);
            built = 2;
        }
        else
        {
            var prefix = 1 << smaller.Log2;
            smaller.Forward.AsSpan(0, prefix).CopyTo(Forward);
            smaller.ForwardShoup.AsSpan(0, prefix).CopyTo(ForwardShoup);
            smaller.Inverse.AsSpan(0, prefix).CopyTo(Inverse);
            smaller.InverseShoup.AsSpan(0, prefix).CopyTo(InverseShoup);
            built = prefix;
        }

        for (var h = built; h < size; h *= 2)
        {
            AddLevel(h);
        }
    }

    public int Log2 { get; }

    public uint[] Forward { get; }

    public uint[] ForwardShoup { get; }

    public uint[] Inverse { get; }

    public uint[] InverseShoup { get; }

    /// <summary>A table covering transforms of 2^log2 points.</summary>
    public static TwiddleTable<TPrime> ForSize(int log2)
    {
        var table = current;
        if (table is not null && table.Log2 >= log2)
        {
            return table;
        }

        lock (GrowLock)
        {
            table = current;
            if (table is null || table.Log2 < log2)
            {
                if (log2 > TPrime.MaxLog2)
                {
                    throw new ArgumentOutOfRangeException(nameof(log2), log2, "Transform longer than the prime supports.");
                }

                // Readers holding the smaller table keep using it; it is never written again.
                table = new TwiddleTable<TPrime>(Math.Max(log2, MinLog2), table);
                current = table;
            }

            return table;
        }
    }

    /// <summary>Fills level h (entries h to 2h - 1, the powers of w_{2h}) from level h / 2.</summary>
    private void AddLevel(int h)
    {
        var forward = Forward.AsSpan(h, h);
        var forwardShoup = ForwardShoup.AsSpan(h, h);
        var below = Forward.AsSpan(h / 2, h / 2);
        var belowShoup = ForwardShoup.AsSpan(h / 2, h / 2);

        // w_{2h}^{2i} = w_h^i (the level below); w_{2h}^{2i+1} = w_h^i * w_{2h}, a multiplication by a constant.
        var root = ModArith<TPrime>.Pow(TPrime.Generator, (TPrime.P - 1) / (2 * (uint)h));
        var rootShoup = ModArith<TPrime>.ShoupOf(root);
        for (var i = 0; i < below.Length; i++)
        {
            var odd = ModArith<TPrime>.MulShoup(below[i], root, rootShoup);
            forward[2 * i] = below[i];
            forwardShoup[2 * i] = belowShoup[i];
            forward[(2 * i) + 1] = odd;
            forwardShoup[(2 * i) + 1] = ModArith<TPrime>.ShoupOf(odd);
        }

        // w_{2h}^{-j} = w_{2h}^{2h-j} = -w_{2h}^{h-j}, since w_{2h}^h = -1. For 0 < w < P, P prime, the Shoup
        // companion of P - w is 2^32 - 1 - that of w (w * 2^32 / P is never an integer), i.e. its bitwise complement.
        var inverse = Inverse.AsSpan(h, h);
        var inverseShoup = InverseShoup.AsSpan(h, h);
        inverse[0] = 1;
        inverseShoup[0] = ForwardShoup[1];
        for (var j = 1; j < h; j++)
        {
            inverse[j] = TPrime.P - forward[h - j];
            inverseShoup[j] = ~forwardShoup[h - j];
        }
    }
}

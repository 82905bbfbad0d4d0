namespace FibRpc.Engine.Ntt;

/// <summary>
/// Roots of unity for transforms up to 2^Log2 points, laid out level by level so that every butterfly stage reads
/// its twiddles contiguously: entry h + j holds w_{2h}^j for h = 1, 2, 4, ..., 2^Log2 / 2 and j &lt; h.
/// Each root comes with its Shoup companion. Tables for smaller transforms are prefixes of larger ones, so one
/// grow-only table per prime serves every size; it costs 16 bytes per point (forward and inverse).
/// </summary>
internal sealed class TwiddleTable<TPrime>
    where TPrime : struct, INttPrime
{
    private static readonly Lock GrowLock = new();
    private static volatile TwiddleTable<TPrime>? current;

    private TwiddleTable(int log2)
    {
        Log2 = log2;
        var size = 1 << log2;
        Forward = new uint[size];
        ForwardShoup = new uint[size];
        Inverse = new uint[size];
        InverseShoup = new uint[size];
        var root = ModArith<TPrime>.Pow(TPrime.Generator, (TPrime.P - 1) >> log2);
        Fill(Forward, ForwardShoup, root, size);
        Fill(Inverse, InverseShoup, ModArith<TPrime>.Inverse(root), size);
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

                table = new TwiddleTable<TPrime>(Math.Max(log2, 10));
                current = table;
            }

            return table;
        }
    }

    private static void Fill(uint[] roots, uint[] shoup, uint root, int size)
    {
        var half = size / 2;
        if (half == 0)
        {
            return;
        }

        // Top level: powers of the primitive size-th root.
        uint w = 1;
        for (var j = 0; j < half; j++)
        {
            roots[half + j] = w;
            w = ModArith<TPrime>.Mul(w, root);
        }

        // Lower levels: w_{2h}^j = w_{4h}^{2j}.
        for (var h = half / 2; h >= 1; h /= 2)
        {
            for (var j = 0; j < h; j++)
            {
                roots[h + j] = roots[(2 * h) + (2 * j)];
            }
        }

        for (var i = 1; i < size; i++)
        {
            shoup[i] = ModArith<TPrime>.ShoupOf(roots[i]);
        }
    }
}

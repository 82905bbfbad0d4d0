namespace FibRpc.Engine.Ntt;

/// <summary>
/// Roots of unity for transforms up to 2^Log2 points, level by level so that every butterfly stage reads its
/// twiddles contiguously: entry h + j holds w_{2h}^j for h = 1, 2, 4, ..., 2^Log2 / 2 and j &lt; h, each with its
/// Shoup companion. Smaller tables are prefixes of larger ones, so one grow-only table per prime serves every size,
/// at 16 bytes per point (forward and inverse), in process-lifetime native memory on huge pages
/// (<see cref="TableMemory"/>); a table replaced by a larger one stays allocated (readers may still hold it).
/// Building them is most of a process's first large product, so growth keeps the levels already built, and each
/// level costs one multiplication and one Shoup companion per odd entry: the even entries are the level below, and
/// the inverse table is the forward one mirrored and negated, with no arithmetic at all.
/// </summary>
internal sealed unsafe class TwiddleTable<TPrime>
    where TPrime : struct, INttPrime
{
    /// <summary>Smallest table built: below this, rebuilding for every larger size costs more than it saves.</summary>
    private const int MinLog2 = 10;

    private static readonly Lock GrowLock = new();
    private static volatile TwiddleTable<TPrime>? Current;

    private TwiddleTable(int log2, TwiddleTable<TPrime>? smaller)
    {
        Log2 = log2;
        var size = 1 << log2;

        // Every entry from 1 on is written below; entry 0 is never read. One native block holds the four arrays: on
        // the large object heap they tipped the first F(10^6) of a process into a full collection.
        var block = TableMemory.Allocate(4 * (nuint)size);
        _forward = block;
        _forwardShoup = block + size;
        _inverse = block + (2 * size);
        _inverseShoup = block + (3 * size);
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
            smaller.Forward[..prefix].CopyTo(Forward);
            smaller.ForwardShoup[..prefix].CopyTo(ForwardShoup);
            smaller.Inverse[..prefix].CopyTo(Inverse);
            smaller.InverseShoup[..prefix].CopyTo(InverseShoup);
            built = prefix;
        }

        for (var h = built; h < size; h *= 2)
        {
            AddLevel(h);
        }
    }

    private readonly uint* _forward;
    private readonly uint* _forwardShoup;
    private readonly uint* _inverse;
    private readonly uint* _inverseShoup;

    public int Log2 { get; }

    public Span<uint> Forward => new(_forward, 1 << Log2);

    public Span<uint> ForwardShoup => new(_forwardShoup, 1 << Log2);

    public Span<uint> Inverse => new(_inverse, 1 << Log2);

    public Span<uint> InverseShoup => new(_inverseShoup, 1 << Log2);

    /// <summary>A table covering transforms of 2^log2 points.</summary>
    public static TwiddleTable<TPrime> ForSize(int log2)
    {
        var table = Current;
        if (table is not null && table.Log2 >= log2)
        {
            return table;
        }

        lock (GrowLock)
        {
            table = Current;
            if (table is null || table.Log2 < log2)
            {
                if (log2 > TPrime.MaxLog2)
                {
                    throw new ArgumentOutOfRangeException(nameof(log2), log2, "Transform longer than the prime supports.");
                }

                // Readers holding the smaller table keep using it; it is never written again.
                table = new TwiddleTable<TPrime>(Math.Max(log2, MinLog2), table);
                Current = table;
            }

            return table;
        }
    }

    /// <summary>Fills level h (entries h to 2h - 1, the powers of w_{2h}) from level h / 2.</summary>
    private void AddLevel(int h)
    {
        var forward = Forward.Slice(h, h);
        var forwardShoup = ForwardShoup.Slice(h, h);
        var below = Forward.Slice(h / 2, h / 2);
        var belowShoup = ForwardShoup.Slice(h / 2, h / 2);

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
        var inverse = Inverse.Slice(h, h);
        var inverseShoup = InverseShoup.Slice(h, h);
        inverse[0] = 1;
        inverseShoup[0] = ForwardShoup[1];
        for (var j = 1; j < h; j++)
        {
            inverse[j] = TPrime.P - forward[h - j];
            inverseShoup[j] = ~forwardShoup[h - j];
        }
    }
}

/// <summary>
/// Where the twiddle tables of all three primes live: process-lifetime native memory handed out from huge-page
/// chunks (<see cref="HugePageMemory"/>), so that the tables for a transform of 2^15 points (1.5 MB for the three
/// primes, what F(10^6) needs) share one huge page. Never freed.
/// </summary>
internal static unsafe class TableMemory
{
    private static readonly Lock Gate = new();
    private static byte* Next;
    private static nuint Left;

    /// <summary>Uninitialised room for <paramref name="count"/> entries, 64-byte aligned.</summary>
    public static uint* Allocate(nuint count)
    {
        var bytes = ((count * sizeof(uint)) + 63) & ~(nuint)63;
        lock (Gate)
        {
            if (bytes > Left)
            {
                // What is left of the current chunk is abandoned: tables only grow, so a smaller one will not come.
                Next = (byte*)HugePageMemory.Allocate(Math.Max(bytes, HugePageMemory.HugePageSize), out Left);
            }

            var block = (uint*)Next;
            Next += bytes;
            Left -= bytes;
            return block;
        }
    }
}

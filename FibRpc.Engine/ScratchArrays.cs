using System.Buffers;

namespace FibRpc.Engine;

/// <summary>
/// Working memory for one computation. Up to <see cref="MaxPooledLength"/> elements, arrays come from the shared
/// pool, so typical requests (n up to about 10^7) allocate nothing but their reply. Larger ones are plain
/// allocations: the pool keeps what it is given back, per size class, and would otherwise hold on to the buffers of
/// the largest n ever served for the life of the process.
/// </summary>
internal static class ScratchArrays
{
    /// <summary>4 Mi elements (16 MB).</summary>
    public const int MaxPooledLength = 1 << 22;

    public static uint[] Rent(int length) =>
        length <= MaxPooledLength ? ArrayPool<uint>.Shared.Rent(length) : GC.AllocateUninitializedArray<uint>(length);

    public static void Return(uint[] array)
    {
        if (array.Length <= MaxPooledLength)
        {
            ArrayPool<uint>.Shared.Return(array);
        }
    }
}

/// <summary>
/// The working memory of a whole F(n) (limb buffers and transform workspace) as one native block on huge pages
/// (<see cref="HugePageMemory"/>): a process's first large F(n) then maps it with one or two page faults instead of
/// hundreds. The last block returned is kept for the next computation (a one-slot pool), up to
/// <see cref="MaxCachedLength"/> elements, so a long-lived process reuses warm memory as it did with the array
/// pool and never holds more than one block beyond those in use.
/// </summary>
internal sealed unsafe class ScratchBlock
{
    /// <summary>8 Mi elements (32 MB).</summary>
    public const int MaxCachedLength = 1 << 23;

    private static ScratchBlock? Cached;

    private readonly uint* _start;

    private ScratchBlock(int length)
    {
        _start = (uint*)HugePageMemory.Allocate((nuint)length * sizeof(uint), out var bytes);
        Length = (int)Math.Min(bytes / sizeof(uint), int.MaxValue);
    }

    /// <summary>Elements available (at least what was asked for).</summary>
    public int Length { get; }

    /// <summary>The block, uninitialised the first time it is used.</summary>
    public Span<uint> Span => new(_start, Length);

    public static ScratchBlock Rent(int length)
    {
        var block = Interlocked.Exchange(ref Cached, null);
        if (block is not null && block.Length >= length)
        {
            return block;
        }

        block?.Free();
        return new ScratchBlock(length);
    }

    public static void Return(ScratchBlock block)
    {
        if (block.Length > MaxCachedLength)
        {
            block.Free();
            return;
        }

        Interlocked.Exchange(ref Cached, block)?.Free();
    }

    private void Free() => HugePageMemory.Free(_start);
}

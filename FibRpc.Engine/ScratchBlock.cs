namespace FibRpc.Engine;

/// <summary>
/// The working memory of a whole F(n) (limb buffers and transform workspace) as one native block on huge pages
/// (<see cref="HugePageMemory"/>): a process's first large F(n) then maps it with one or two page faults instead of
/// hundreds. The last block returned is kept for the next computation (a one-slot pool), up to
/// <see cref="MaxCachedLength"/> elements, so a long-lived process reuses warm memory and never holds more than one
/// block beyond those in use.
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

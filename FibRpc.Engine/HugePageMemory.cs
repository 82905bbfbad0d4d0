using System.Runtime.InteropServices;

namespace FibRpc.Engine;

/// <summary>
/// Native memory for the engine's large working sets (twiddle tables, limb buffers, transform scratch), aligned to
/// 2 MiB and offered to Linux's transparent huge pages (madvise MADV_HUGEPAGE, honoured when THP is "madvise" or
/// "always"). As 4 KiB pages, one F(10^6) in a fresh process (`fibrpc compute`) took about 700 page faults, each a
/// trip into the kernel to map and zero a page: most of the cold computation's time on virtual machines. As huge
/// pages it is one or two. Blocks below <see cref="HugeThreshold"/> are plain native allocations (a huge page would
/// zero 2 MiB to save a few faults). The advice is only advice: without huge pages the memory works as before.
/// </summary>
internal static unsafe partial class HugePageMemory
{
    /// <summary>The x86-64 huge page: 2 MiB.</summary>
    public const nuint HugePageSize = 2 << 20;

    /// <summary>Smallest block worth a huge page (16 ordinary pages).</summary>
    public const nuint HugeThreshold = 64 << 10;

    private const int MadviseHugePage = 14; // MADV_HUGEPAGE

    /// <summary>
    /// Allocates at least <paramref name="bytes"/> bytes, uninitialised, and returns how many were allocated (a
    /// large block is rounded up to whole huge pages, and the caller may use all of it). Free with <see cref="Free"/>.
    /// </summary>
    public static void* Allocate(nuint bytes, out nuint allocated)
    {
        if (bytes < HugeThreshold)
        {
            allocated = bytes;
            return NativeMemory.AlignedAlloc(bytes, 64);
        }

        allocated = (bytes + HugePageSize - 1) & ~(HugePageSize - 1);
        var block = NativeMemory.AlignedAlloc(allocated, HugePageSize);
        if (OperatingSystem.IsLinux())
        {
            _ = Madvise(block, allocated, MadviseHugePage); // advice: an error (no THP in this kernel) changes nothing
        }

        return block;
    }

    public static void Free(void* block) => NativeMemory.AlignedFree(block);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}

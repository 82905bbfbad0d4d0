using System.Buffers;

namespace FibRpc.Engine;

/// <summary>
/// Working arrays for one computation. Up to <see cref="MaxPooledLength"/> elements they come from the shared pool,
/// so typical requests (n up to about 10^7) allocate nothing but their reply. Larger ones are plain allocations: the
/// pool keeps what it is given back, per size class, and would otherwise hold on to the buffers of the largest n
/// ever served for the life of the process.
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

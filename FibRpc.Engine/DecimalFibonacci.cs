using System.Runtime.InteropServices;
using FibRpc.Engine.Ntt;

namespace FibRpc.Engine;

/// <summary>
/// F(n) for n above <see cref="SmallFibonacci.MaxN"/> by fast doubling carried out directly in base 10^9, so the
/// answer is already decimal and converting it to text is linear. Each step maps (F(k), F(k+1)) to
/// F(2k+1) = F(k)^2 + F(k+1)^2 and F(2k+2) = F(k+1)(2F(k) + F(k+1)), then F(2k) = F(2k+2) - F(2k+1): one
/// transform pass per step (see <see cref="ConvolutionKind.DoublingPair"/>). The last step computes only F(n).
/// </summary>
internal static class DecimalFibonacci
{
    /// <summary>
    /// Up to this many limbs per operand a step runs on <see cref="SchoolbookDoubling"/>, which beats the transforms
    /// there (tuned by timing n from 1,000 to 10,000 side by side with GMP: 24, 32 and 64 were no better).
    /// </summary>
    internal const int SchoolbookLimbs = 48;

    private const double DigitsPerIndex = 0.20898764024997873; // log10 of the golden ratio
    private const double Log10Sqrt5 = 0.34948500216800940;

    public static byte[] ComputeDecimal(int n, CancellationToken cancellationToken)
    {
        var block = Rent(n, out var capacity, out var workspaceLength);
        try
        {
            var result = Compute(n, block.Span, capacity, workspaceLength, cancellationToken);
            var text = GC.AllocateUninitializedArray<byte>(DecimalLimbs.DigitCount(result));
            DecimalLimbs.WriteAscii(result, text);
            return text;
        }
        finally
        {
            ScratchBlock.Return(block);
        }
    }

    /// <summary>
    /// <see cref="FibonacciEngine.WithDecimal"/>: the digits are written into the transform workspace, free once F(n)
    /// is known, instead of a new reply array.
    /// </summary>
    public static TResult WithDecimal<TState, TResult>(
        int n, TState state, DecimalDigitsHandler<TState, TResult> consume, CancellationToken cancellationToken)
    {
        var block = Rent(n, out var capacity, out var workspaceLength);
        try
        {
            var result = Compute(n, block.Span, capacity, workspaceLength, cancellationToken);
            var count = DecimalLimbs.DigitCount(result);
            var spare = MemoryMarshal.AsBytes(block.Span[(5 * capacity)..]);
            var text = spare.Length >= count ? spare[..count] : new byte[count];
            DecimalLimbs.WriteAscii(result, text);
            return consume(text, state);
        }
        finally
        {
            ScratchBlock.Return(block);
        }
    }

    /// <summary>
    /// The working memory of F(n): five limb buffers of <paramref name="capacity"/> limbs, then the transform
    /// workspace. Tables and workspace are sized for the largest product up front: growing them step by step cost
    /// the first F(n) of a process (`fibrpc compute`) a table and an array per size in page faults. The block is
    /// never cleared: every limb is written before it is read, and the transforms zero their own padding.
    /// </summary>
    private static ScratchBlock Rent(int n, out int capacity, out int workspaceLength)
    {
        if (n <= SmallFibonacci.MaxN)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "Small indices are served from the table.");
        }

        // Every intermediate is at most F(n + 2); products are written with up to three extra limbs of zeros.
        capacity = (int)(((n + 2L) * DigitsPerIndex / DecimalLimbs.DigitsPerLimb) + 8);
        var largestLog2 = LargestTransformLog2(n);
        workspaceLength = 0;
        if (largestLog2 > 0)
        {
            DecimalConvolution.Reserve(largestLog2);
            workspaceLength = DecimalConvolution.WorkspaceLength(largestLog2);
        }

        return ScratchBlock.Rent((5 * capacity) + workspaceLength);
    }

    /// <summary>F(n) in base 10^9, a slice of the first 5 * capacity limbs of <paramref name="memory"/>.</summary>
    private static ReadOnlySpan<uint> Compute(
        int n, Span<uint> memory, int capacity, int workspaceLength, CancellationToken cancellationToken)
    {
        // Start from the table: k is the top bits of n, at most 92 so that F(k + 1) still fits in 64 bits.
        var shift = 1;
        while ((n >> shift) > SmallFibonacci.MaxN - 1)
        {
            shift++;
        }

        var pool = memory[..(5 * capacity)];
        var workspace = memory.Slice(5 * capacity, workspaceLength);
        var scratch = pool.Slice(4 * capacity, capacity);

        // Offsets of the buffers holding F(k), F(k+1) and the two step results; rotated, never copied.
        int a0 = 0, b0 = capacity, s0 = 2 * capacity, t0 = 3 * capacity;

        var k = n >> shift;
        var aLength = DecimalLimbs.FromUInt64(SmallFibonacci.Value(k), pool.Slice(a0, capacity));
        var bLength = DecimalLimbs.FromUInt64(SmallFibonacci.Value(k + 1), pool.Slice(b0, capacity));
        for (var bit = shift - 1; bit >= 1; bit--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var a = pool.Slice(a0, aLength);
            var b = pool.Slice(b0, bLength);
            var s = pool.Slice(s0, capacity);
            var t = pool.Slice(t0, capacity);
            var (sLength, tLength) = Math.Max(aLength, bLength) > SchoolbookLimbs
                ? DecimalConvolution.Compute(a, b, ConvolutionKind.DoublingPair, s, t, workspace, cancellationToken)
                : SchoolbookDoubling.Pair(a, b, s, t);
            if (((n >> bit) & 1) == 0)
            {
                // (F(2k), F(2k+1)) = (F(2k+2) - F(2k+1), F(2k+1)).
                tLength = DecimalLimbs.SubtractInPlace(t[..tLength], s[..sLength]);
                (aLength, bLength) = (tLength, sLength);
                (a0, b0, s0, t0) = (t0, s0, a0, b0);
            }
            else
            {
                // (F(2k+1), F(2k+2)).
                (aLength, bLength) = (sLength, tLength);
                (a0, b0, s0, t0) = (s0, t0, a0, b0);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Final(
            pool.Slice(a0, aLength), pool.Slice(b0, bLength), (n & 1) == 1, pool.Slice(s0, capacity), scratch, workspace, cancellationToken);
    }

    /// <summary>
    /// Transform size (log2) of the largest product in computing F(n): the last one, from F(k) and F(k + 1) with
    /// k = n / 2; 0 when that step is schoolbook. Limb counts come from Binet's formula (F(m) has
    /// floor(m log10(phi) - log10(sqrt 5)) + 1 digits, the Lucas number L(m) floor(m log10(phi)) + 1), in doubles,
    /// so a count can be off by one next to a power of two. It is only a size hint: off, it costs one regrowth of
    /// the tables or tables twice as large, never a wrong result (each product still sizes its own transform).
    /// </summary>
    internal static int LargestTransformLog2(int n)
    {
        var k = n >> 1;
        var a = Limbs(Math.Floor((k * DigitsPerIndex) - Log10Sqrt5) + 1);
        var b = Limbs(Math.Floor(((k + 1) * DigitsPerIndex) - Log10Sqrt5) + 1);
        if (Math.Max(a, b) <= SchoolbookLimbs)
        {
            return 0;
        }

        // Odd n: F(2k+1) = a^2 + b^2. Even n: F(2k) = a(2b - a), and 2F(k+1) - F(k) = L(k).
        var count = (n & 1) == 1
            ? DecimalConvolution.CoefficientCount(a, b, ConvolutionKind.SumOfSquares)
            : DecimalConvolution.CoefficientCount(a, Limbs(Math.Floor(k * DigitsPerIndex) + 1), ConvolutionKind.Product);
        return DecimalConvolution.Log2For(count);

        static int Limbs(double digits) => (int)Math.Ceiling(digits / DecimalLimbs.DigitsPerLimb);
    }

    /// <summary>F(2k + 1) = a^2 + b^2 when odd, else F(2k) = a(2b - a), for a = F(k), b = F(k + 1).</summary>
    private static ReadOnlySpan<uint> Final(
        ReadOnlySpan<uint> a,
        ReadOnlySpan<uint> b,
        bool odd,
        Span<uint> destination,
        Span<uint> scratch,
        Span<uint> workspace,
        CancellationToken cancellationToken)
    {
        if (Math.Max(a.Length, b.Length) <= SchoolbookLimbs)
        {
            // Short operands: the pair costs little more than F(n) alone, and F(2k) = F(2k+2) - F(2k+1).
            var (sLength, tLength) = SchoolbookDoubling.Pair(a, b, destination, scratch);
            return odd
                ? destination[..sLength]
                : scratch[..DecimalLimbs.SubtractInPlace(scratch[..tLength], destination[..sLength])];
        }

        ReadOnlySpan<uint> y;
        ConvolutionKind kind;
        if (odd)
        {
            y = b;
            kind = ConvolutionKind.SumOfSquares;
        }
        else
        {
            var cLength = DecimalLimbs.Add(b, b, scratch);
            cLength = DecimalLimbs.SubtractInPlace(scratch[..cLength], a);
            y = scratch[..cLength];
            kind = ConvolutionKind.Product;
        }

        var (length, _) = DecimalConvolution.Compute(a, y, kind, destination, default, workspace, cancellationToken);
        return destination[..length];
    }
}

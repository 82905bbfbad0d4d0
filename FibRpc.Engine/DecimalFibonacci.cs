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

    public static byte[] ComputeDecimal(int n, CancellationToken cancellationToken)
    {
        if (n <= SmallFibonacci.MaxN)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "Small indices are served from the table.");
        }

        // Start from the table: k is the top bits of n, at most 92 so that F(k + 1) still fits in 64 bits.
        var shift = 1;
        while ((n >> shift) > SmallFibonacci.MaxN - 1)
        {
            shift++;
        }

        // Every intermediate is at most F(n + 2); products are written with up to three extra limbs of zeros.
        var capacity = (int)(((n + 2L) * DigitsPerIndex / DecimalLimbs.DigitsPerLimb) + 8);
        var rented = ScratchArrays.Rent(5 * capacity);
        try
        {
            var pool = rented.AsSpan(0, 5 * capacity);
            pool.Clear();
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
                var (sLength, tLength) = DoublingPair(a, b, s, t, cancellationToken);
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
            var result = Final(
                pool.Slice(a0, aLength), pool.Slice(b0, bLength), (n & 1) == 1, pool.Slice(s0, capacity), scratch, cancellationToken);
            var text = GC.AllocateUninitializedArray<byte>(DecimalLimbs.DigitCount(result));
            DecimalLimbs.WriteAscii(result, text);
            return text;
        }
        finally
        {
            ScratchArrays.Return(rented);
        }
    }

    /// <summary>s = a^2 + b^2, t = b(2a + b).</summary>
    private static (int S, int T) DoublingPair(
        ReadOnlySpan<uint> a,
        ReadOnlySpan<uint> b,
        Span<uint> s,
        Span<uint> t,
        CancellationToken cancellationToken)
    {
        return Math.Max(a.Length, b.Length) > SchoolbookLimbs
            ? DecimalConvolution.Compute(a, b, ConvolutionKind.DoublingPair, s, t, cancellationToken)
            : SchoolbookDoubling.Pair(a, b, s, t);
    }

    /// <summary>F(2k + 1) = a^2 + b^2 when odd, else F(2k) = a(2b - a), for a = F(k), b = F(k + 1).</summary>
    private static ReadOnlySpan<uint> Final(
        ReadOnlySpan<uint> a,
        ReadOnlySpan<uint> b,
        bool odd,
        Span<uint> destination,
        Span<uint> scratch,
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

        var (length, _) = DecimalConvolution.Compute(a, y, kind, destination, default, cancellationToken);
        return destination[..length];
    }
}

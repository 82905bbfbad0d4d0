namespace FibRpc.Fibonacci.Ntt;

/// <summary>
/// Radix-2 transforms mod one prime. The forward transform is decimation in frequency (natural order in,
/// bit-reversed out) and the inverse is decimation in time (bit-reversed in, natural out), so a convolution never
/// pays for a bit-reversal permutation. The inverse omits the 1/N scaling: callers fold it into the pointwise step.
/// </summary>
internal static class NumberTheoreticTransform<TPrime>
    where TPrime : struct, INttPrime
{
    public static void Forward(Span<uint> a, TwiddleTable<TPrime> table)
    {
        var n = a.Length;
        var w = table.Forward;
        var ws = table.ForwardShoup;
        for (var h = n / 2; h >= 1; h /= 2)
        {
            for (var s = 0; s < n; s += 2 * h)
            {
                var lo = a.Slice(s, h);
                var hi = a.Slice(s + h, h);
                for (var j = 0; j < lo.Length; j++)
                {
                    var u = lo[j];
                    var v = hi[j];
                    lo[j] = ModArith<TPrime>.Add(u, v);
                    hi[j] = ModArith<TPrime>.MulShoup(ModArith<TPrime>.Sub(u, v), w[h + j], ws[h + j]);
                }
            }
        }
    }

    public static void InverseUnscaled(Span<uint> a, TwiddleTable<TPrime> table)
    {
        var n = a.Length;
        var w = table.Inverse;
        var ws = table.InverseShoup;
        for (var h = 1; h < n; h *= 2)
        {
            for (var s = 0; s < n; s += 2 * h)
            {
                var lo = a.Slice(s, h);
                var hi = a.Slice(s + h, h);
                for (var j = 0; j < lo.Length; j++)
                {
                    var u = lo[j];
                    var t = ModArith<TPrime>.MulShoup(hi[j], w[h + j], ws[h + j]);
                    lo[j] = ModArith<TPrime>.Add(u, t);
                    hi[j] = ModArith<TPrime>.Sub(u, t);
                }
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FibRpc.Engine.Ntt;

/// <summary>
/// Radix-2 transforms mod one prime. The forward transform is decimation in frequency (natural order in,
/// bit-reversed out) and the inverse is decimation in time (bit-reversed in, natural out), so a convolution never
/// pays for a bit-reversal permutation. The inverse omits the 1/N scaling: callers fold it into the pointwise step.
/// Stages whose half-blocks span at least one vector run eight butterflies at a time (AVX2); the three short stages
/// use in-register permutes (<see cref="ShortStages{TPrime}"/>).
/// </summary>
internal static class NumberTheoreticTransform<TPrime>
    where TPrime : struct, INttPrime
{
    public static void Forward(Span<uint> a, TwiddleTable<TPrime> table)
    {
        var n = a.Length;
        ReadOnlySpan<uint> w = table.Forward;
        ReadOnlySpan<uint> ws = table.ForwardShoup;
        var vector = n >= 16 && VectorModArith<TPrime>.IsSupported && ShortStages<TPrime>.IsSupported;
        for (var h = n / 2; h >= 1; h /= 2)
        {
            if (vector && h >= Vector256<uint>.Count)
            {
                ForwardStageVector(a, h, w, ws);
                continue;
            }

            if (vector)
            {
                ShortStages<TPrime>.Forward(a, w, ws);
                break;
            }

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
        ReadOnlySpan<uint> w = table.Inverse;
        ReadOnlySpan<uint> ws = table.InverseShoup;
        var vector = n >= 16 && VectorModArith<TPrime>.IsSupported && ShortStages<TPrime>.IsSupported;
        var h = 1;
        if (vector)
        {
            ShortStages<TPrime>.Inverse(a, w, ws);
            h = 8;
        }

        for (; h < n; h *= 2)
        {
            if (vector)
            {
                InverseStageVector(a, h, w, ws);
                continue;
            }

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

    private static void ForwardStageVector(Span<uint> a, int h, ReadOnlySpan<uint> w, ReadOnlySpan<uint> ws)
    {
        ref var data = ref MemoryMarshal.GetReference(a);
        ref var roots = ref MemoryMarshal.GetReference(w);
        ref var shoup = ref MemoryMarshal.GetReference(ws);
        for (var s = 0; s < a.Length; s += 2 * h)
        {
            ref var lo = ref Unsafe.Add(ref data, s);
            ref var hi = ref Unsafe.Add(ref data, s + h);
            for (var j = 0; j < h; j += Vector256<uint>.Count)
            {
                var u = Vector256.LoadUnsafe(ref lo, (nuint)j);
                var v = Vector256.LoadUnsafe(ref hi, (nuint)j);
                var root = Vector256.LoadUnsafe(ref roots, (nuint)(h + j));
                var rootShoup = Vector256.LoadUnsafe(ref shoup, (nuint)(h + j));
                VectorModArith<TPrime>.Add(u, v).StoreUnsafe(ref lo, (nuint)j);
                VectorModArith<TPrime>.MulShoup(VectorModArith<TPrime>.Sub(u, v), root, rootShoup).StoreUnsafe(ref hi, (nuint)j);
            }
        }
    }

    private static void InverseStageVector(Span<uint> a, int h, ReadOnlySpan<uint> w, ReadOnlySpan<uint> ws)
    {
        ref var data = ref MemoryMarshal.GetReference(a);
        ref var roots = ref MemoryMarshal.GetReference(w);
        ref var shoup = ref MemoryMarshal.GetReference(ws);
        for (var s = 0; s < a.Length; s += 2 * h)
        {
            ref var lo = ref Unsafe.Add(ref data, s);
            ref var hi = ref Unsafe.Add(ref data, s + h);
            for (var j = 0; j < h; j += Vector256<uint>.Count)
            {
                var u = Vector256.LoadUnsafe(ref lo, (nuint)j);
                var root = Vector256.LoadUnsafe(ref roots, (nuint)(h + j));
                var rootShoup = Vector256.LoadUnsafe(ref shoup, (nuint)(h + j));
                var t = VectorModArith<TPrime>.MulShoup(Vector256.LoadUnsafe(ref hi, (nuint)j), root, rootShoup);
                VectorModArith<TPrime>.Add(u, t).StoreUnsafe(ref lo, (nuint)j);
                VectorModArith<TPrime>.Sub(u, t).StoreUnsafe(ref hi, (nuint)j);
            }
        }
    }
}

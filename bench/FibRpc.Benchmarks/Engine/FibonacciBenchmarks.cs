using System.Globalization;
using System.Numerics;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Order;
using FibRpc.Benchmarks.Gmp;
using FibRpc.Engine;

namespace FibRpc.Benchmarks.Engine;

// F(n) as decimal text by every method that finishes in reasonable time at each size. The classes differ only in
// which competitors they include: BenchmarkDotNet cannot skip single (method, n) pairs, so the hopeless ones are
// left out by grouping sizes:
// - naive recursion makes ~phi^n calls: only n = 30 (n = 93 would take about 10^10 times longer);
// - the iterative BigInteger loop is quadratic: up to 10^5 (10^6 would take tens of seconds per call);
// - BigInteger fast doubling + ToString has a quadratic conversion: up to 10^6 (about 2 minutes per call at 10^7).

/// <summary>Shared setup: every benchmark computes F(N) as ASCII decimal (what the service sends), GMP is the baseline of every ratio.</summary>
[MedianColumn]
[MemoryDiagnoser]
[Orderer(SummaryOrderPolicy.Declared)]
public abstract class FibonacciBenchmarkBase
{
    private readonly FibonacciEngine _engine = new();
    private readonly GmpFibonacci _gmp = new();

    public abstract int N { get; set; }

    [GlobalSetup]
    public void CheckGmp() => GmpFibonacci.EnsureAvailable();

    [Benchmark(Description = "FibonacciEngine")]
    public ReadOnlyMemory<byte> Engine() => _engine.ComputeDecimal(N);

    [Benchmark(Baseline = true, Description = "GMP mpz_fib_ui + mpz_get_str")]
    public ReadOnlyMemory<byte> Gmp() => _gmp.ComputeDecimal(N);
}

// Each size class adds the competitors that still finish at its sizes to those of the next larger class.
public class FibonacciLargeBenchmarks : FibonacciBenchmarkBase
{
    [Params(1_000_000)]
    public override int N { get; set; }

    /// <summary>The original engine: <see cref="BigIntegerFibonacci"/>, then the quadratic decimal conversion of <see cref="BigInteger.ToString()"/>.</summary>
    [Benchmark(Description = "BigInteger fast doubling + ToString")]
    public ReadOnlyMemory<byte> BigIntegerDoubling() => Encoding.ASCII.GetBytes(BigIntegerFibonacci.Compute(N).ToString(CultureInfo.InvariantCulture));
}

public class FibonacciMediumBenchmarks : FibonacciLargeBenchmarks
{
    [Params(93, 1_000, 10_000, 100_000)]
    public override int N { get; set; }

    /// <summary>n additions of growing BigIntegers (quadratic in n), then BigInteger.ToString (quadratic).</summary>
    [Benchmark(Description = "Iterative BigInteger loop")]
    public ReadOnlyMemory<byte> IterativeLoop()
    {
        BigInteger a = 0, b = 1;
        for (var i = 0; i < N; i++)
        {
            (a, b) = (b, a + b);
        }

        return Encoding.ASCII.GetBytes(a.ToString(CultureInfo.InvariantCulture));
    }
}

public class FibonacciTinyBenchmarks : FibonacciMediumBenchmarks
{
    [Params(30)]
    public override int N { get; set; }

    /// <summary>The doubly recursive definition used by the classic RPC tutorials: O(phi^n) calls.</summary>
    [Benchmark(Description = "Naive recursion")]
    public ReadOnlyMemory<byte> NaiveRecursion() => Encoding.ASCII.GetBytes(Fib(N).ToString(CultureInfo.InvariantCulture));

    private static ulong Fib(int n) => n < 2 ? (ulong)n : Fib(n - 1) + Fib(n - 2);
}

public class FibonacciHugeBenchmarks : FibonacciBenchmarkBase
{
    [Params(10_000_000)]
    public override int N { get; set; }
}

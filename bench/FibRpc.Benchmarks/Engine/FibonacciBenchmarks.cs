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

/// <summary>Shared setup: every benchmark computes F(N) as ASCII decimal, GMP is the baseline of every ratio.</summary>
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

public class FibonacciTinyBenchmarks : FibonacciBenchmarkBase
{
    [Params(30)]
    public override int N { get; set; }

    [Benchmark(Description = "Naive recursion")]
    public ReadOnlyMemory<byte> NaiveRecursion() => Competitors.NaiveRecursion(N);

    [Benchmark(Description = "Iterative BigInteger loop")]
    public ReadOnlyMemory<byte> IterativeLoop() => Competitors.IterativeLoop(N);

    [Benchmark(Description = "BigInteger fast doubling + ToString")]
    public ReadOnlyMemory<byte> BigIntegerDoubling() => Competitors.BigIntegerDoubling(N);
}

public class FibonacciMediumBenchmarks : FibonacciBenchmarkBase
{
    [Params(93, 1_000, 10_000, 100_000)]
    public override int N { get; set; }

    [Benchmark(Description = "Iterative BigInteger loop")]
    public ReadOnlyMemory<byte> IterativeLoop() => Competitors.IterativeLoop(N);

    [Benchmark(Description = "BigInteger fast doubling + ToString")]
    public ReadOnlyMemory<byte> BigIntegerDoubling() => Competitors.BigIntegerDoubling(N);
}

public class FibonacciLargeBenchmarks : FibonacciBenchmarkBase
{
    [Params(1_000_000)]
    public override int N { get; set; }

    [Benchmark(Description = "BigInteger fast doubling + ToString")]
    public ReadOnlyMemory<byte> BigIntegerDoubling() => Competitors.BigIntegerDoubling(N);
}

public class FibonacciHugeBenchmarks : FibonacciBenchmarkBase
{
    [Params(10_000_000)]
    public override int N { get; set; }
}

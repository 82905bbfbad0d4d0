using BenchmarkDotNet.Attributes;
using FibRpc.Engine;

namespace FibRpc.Benchmarks.Engine;

public class FibonacciTinyBenchmarks : FibonacciBenchmarkBase
{
    private static readonly BigIntegerFibonacciEngine BigIntegerEngine = new();

    [Params(30)]
    public override int N { get; set; }

    [Benchmark(Description = "Naive recursion")]
    public ReadOnlyMemory<byte> NaiveRecursion() => Competitors.NaiveRecursion(N);

    [Benchmark(Description = "Iterative BigInteger loop")]
    public ReadOnlyMemory<byte> IterativeLoop() => Competitors.IterativeLoop(N);

    [Benchmark(Description = "BigInteger fast doubling + ToString")]
    public ReadOnlyMemory<byte> BigIntegerDoubling() => BigIntegerEngine.ComputeDecimal(N);
}

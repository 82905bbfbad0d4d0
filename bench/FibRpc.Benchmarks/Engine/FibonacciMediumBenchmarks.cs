using BenchmarkDotNet.Attributes;
using FibRpc.Engine;

namespace FibRpc.Benchmarks.Engine;

public class FibonacciMediumBenchmarks : FibonacciBenchmarkBase
{
    private static readonly BigIntegerFibonacciEngine BigIntegerEngine = new();

    [Params(93, 1_000, 10_000, 100_000)]
    public override int N { get; set; }

    [Benchmark(Description = "Iterative BigInteger loop")]
    public ReadOnlyMemory<byte> IterativeLoop() => Competitors.IterativeLoop(N);

    [Benchmark(Description = "BigInteger fast doubling + ToString")]
    public ReadOnlyMemory<byte> BigIntegerDoubling() => BigIntegerEngine.ComputeDecimal(N);
}

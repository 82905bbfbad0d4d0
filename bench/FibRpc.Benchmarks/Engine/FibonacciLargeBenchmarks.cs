using BenchmarkDotNet.Attributes;
using FibRpc.Engine;

namespace FibRpc.Benchmarks.Engine;

public class FibonacciLargeBenchmarks : FibonacciBenchmarkBase
{
    private static readonly BigIntegerFibonacciEngine BigIntegerEngine = new();

    [Params(1_000_000)]
    public override int N { get; set; }

    [Benchmark(Description = "BigInteger fast doubling + ToString")]
    public ReadOnlyMemory<byte> BigIntegerDoubling() => BigIntegerEngine.ComputeDecimal(N);
}

using BenchmarkDotNet.Attributes;

namespace FibRpc.Benchmarks.Engine;

public class FibonacciHugeBenchmarks : FibonacciBenchmarkBase
{
    [Params(10_000_000)]
    public override int N { get; set; }
}

using FibRpc.Engine;

namespace FibRpc.Benchmarks.ReplyCache;

/// <summary>Counts the computations that reach the real engine beyond its table, i.e. the cache's misses.</summary>
internal sealed class InnerCallCounter(IFibonacciEngine inner) : IFibonacciEngine
{
    public long Computed { get; private set; }

    public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
    {
        if (n > FibonacciEngine.TableMaxN)
        {
            Computed++;
        }

        return inner.ComputeDecimal(n, cancellationToken);
    }
}

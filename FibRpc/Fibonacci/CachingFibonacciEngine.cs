namespace FibRpc.Fibonacci;

/// <summary>Placeholder pass-through until the bounded cache lands.</summary>
public sealed class CachingFibonacciEngine(IFibonacciEngine inner, long capacityBytes) : IFibonacciEngine
{
    public long CapacityBytes { get; } = capacityBytes;

    public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default) => inner.ComputeDecimal(n, cancellationToken);
}

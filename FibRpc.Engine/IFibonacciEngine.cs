namespace FibRpc.Engine;

/// <summary>Computes F(n) exactly, as the decimal text that goes on the wire.</summary>
public interface IFibonacciEngine
{
    /// <summary>
    /// Returns the ASCII decimal digits of F(n) (F(0) = 0, F(1) = 1). The returned memory is never mutated
    /// afterwards and may be shared between callers.
    /// </summary>
    ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default);
}

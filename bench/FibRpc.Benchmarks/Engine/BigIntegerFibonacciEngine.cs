using System.Globalization;
using System.Text;
using FibRpc.Engine;

namespace FibRpc.Benchmarks.Engine;

/// <summary>
/// The original engine: <see cref="BigIntegerFibonacci"/> followed by <see cref="System.Numerics.BigInteger.ToString()"/>,
/// whose decimal conversion is quadratic: the baseline the engine benchmarks compare against.
/// </summary>
public sealed class BigIntegerFibonacciEngine : IFibonacciEngine
{
    public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
    {
        var value = BigIntegerFibonacci.Compute(n, cancellationToken);
        return Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
    }
}

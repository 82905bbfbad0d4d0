using System.Globalization;
using System.Text;

namespace FibRpc.Engine;

/// <summary>
/// The original engine: <see cref="BigIntegerFibonacci"/> followed by <see cref="System.Numerics.BigInteger.ToString()"/>,
/// whose decimal conversion is quadratic. Kept as the baseline the benchmarks compare against.
/// </summary>
public sealed class BigIntegerFibonacciEngine : IFibonacciEngine
{
    public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
    {
        var value = BigIntegerFibonacci.Compute(n, cancellationToken);
        return Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
    }
}

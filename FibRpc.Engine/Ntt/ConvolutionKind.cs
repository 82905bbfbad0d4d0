namespace FibRpc.Engine.Ntt;

/// <summary>What <see cref="DecimalConvolution"/> computes from its two operands x and y.</summary>
internal enum ConvolutionKind
{
    /// <summary>x * y.</summary>
    Product,

    /// <summary>x^2 + y^2 only.</summary>
    SumOfSquares,

    /// <summary>
    /// Both x^2 + y^2 and y(2x + y). With x = F(k), y = F(k+1) these are F(2k+1) and F(2k+2): one doubling step from
    /// two forward and two inverse transforms, with only non-negative coefficient combinations (so CRT needs no
    /// sign handling).
    /// </summary>
    DoublingPair,
}

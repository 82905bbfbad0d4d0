using System.Globalization;
using FibRpc.Engine.Ntt;

namespace FibRpc.Engine;

/// <summary>
/// The service's engine: exact F(n) as ASCII decimal. n &lt;= 93 is served from a precomputed table (no arithmetic,
/// no allocation); larger n by fast doubling in base 10^9 with transform-based multiplication
/// (<see cref="DecimalFibonacci"/>), which needs no binary-to-decimal conversion. Thread-safe and stateless apart
/// from shared, grow-only twiddle tables.
/// </summary>
public sealed class FibonacciEngine : IFibonacciEngine
{
    /// <summary>The largest n answered from the table (F(93) is the largest Fibonacci number in 64 bits).</summary>
    public const int TableMaxN = SmallFibonacci.MaxN;

    /// <summary>
    /// Whether the transforms run on their AVX2 paths (eight lanes) rather than the scalar fallback. Under Native AOT
    /// this is decided when the executable is compiled (its instruction-set baseline), so a diagnostic can show it.
    /// </summary>
    public static bool IsVectorized => VectorModArith<NttPrime0>.IsSupported && ShortStages<NttPrime0>.IsSupported;

    public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return n <= SmallFibonacci.MaxN
            ? SmallFibonacci.Decimal(n)
            : DecimalFibonacci.ComputeDecimal(n, cancellationToken);
    }

    /// <summary>
    /// Computes F(n) and passes its ASCII decimal digits to <paramref name="consume"/>, returning what that returns.
    /// The span is valid only during the call (for n above the table it is the computation's own working memory,
    /// reused afterwards), so nothing is allocated for the text: for a caller that writes the digits once and is
    /// done, such as `fibrpc compute`.
    /// </summary>
    public static TResult WithDecimal<TState, TResult>(
        int n, TState state, DecimalDigitsHandler<TState, TResult> consume, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentNullException.ThrowIfNull(consume);
        if (n > SmallFibonacci.MaxN)
        {
            return DecimalFibonacci.WithDecimal(n, state, consume, cancellationToken);
        }

        // Formatted on the stack: a one-shot caller has no use for the table of all 94 replies.
        Span<byte> text = stackalloc byte[20];
        SmallFibonacci.Value(n).TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        return consume(text[..length], state);
    }
}

/// <summary>Receives the ASCII decimal digits of F(n), valid only during the call (<see cref="FibonacciEngine.WithDecimal"/>).</summary>
public delegate TResult DecimalDigitsHandler<in TState, out TResult>(ReadOnlySpan<byte> digits, TState state);

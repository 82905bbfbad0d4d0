using System.Collections.Concurrent;
using FibRpc.Engine;

namespace FibRpc.Cli.Bench;

/// <summary>
/// Knows the right reply to every request of a run: F(n) computed locally by the core's engine, once per
/// distinct n (before the measured phase where the workload allows), or one constant text for the ceiling
/// references, whose whole point is not to compute anything.
/// </summary>
public sealed class ReplyVerifier
{
    /// <summary>Workloads with at most this many distinct n get all replies computed before the run starts.</summary>
    public const long PrecomputeLimit = 100_000;

    private readonly ConcurrentDictionary<int, ReadOnlyMemory<byte>> _expected = new();
    private readonly IFibonacciEngine _engine;
    private readonly ReadOnlyMemory<byte>? _constant;

    private ReplyVerifier(IFibonacciEngine engine, ReadOnlyMemory<byte>? constant)
    {
        _engine = engine;
        _constant = constant;
    }

    /// <summary>Null when checking F(n); the expected text when every reply must be that constant.</summary>
    public string? ExpectedConstant => _constant is { } constant ? System.Text.Encoding.UTF8.GetString(constant.Span) : null;

    public static ReplyVerifier ForFibonacci(IFibonacciEngine engine, Workload workload)
    {
        var verifier = new ReplyVerifier(engine, null);
        if (workload.DistinctCount <= PrecomputeLimit)
        {
            foreach (var n in workload.DistinctValues)
            {
                verifier.Expected(n);
            }
        }

        return verifier;
    }

    public static ReplyVerifier ForConstant(string text) => new(new FibonacciEngine(), System.Text.Encoding.UTF8.GetBytes(text));

    public bool IsCorrect(int n, ReadOnlySpan<byte> reply) =>
        reply.SequenceEqual((_constant ?? Expected(n)).Span);

    /// <summary>The decimal digits of F(n), computed on first use and kept.</summary>
    public ReadOnlyMemory<byte> Expected(int n) => _expected.GetOrAdd(n, static (key, engine) => engine.ComputeDecimal(key), _engine);
}

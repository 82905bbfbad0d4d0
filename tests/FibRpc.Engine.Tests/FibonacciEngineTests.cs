using System.Globalization;
using FibRpc.Engine;
using Xunit.Abstractions;

namespace FibRpc.Engine.Tests;

public sealed class FibonacciEngineTests(ITestOutputHelper output)
{
    private readonly FibonacciEngine _engine = new();

    [Fact]
    public void Zero_to_two_hundred_match_the_iterative_reference()
    {
        // Crosses the table (n <= 93) and its edge, the schoolbook steps and the first transform steps.
        var expected = IterativeReference.Sequence(201);
        for (var n = 0; n <= 200; n++)
        {
            Assert.True(
                expected[n].ToString(CultureInfo.InvariantCulture) == _engine.Decimal(n),
                $"F({n}) differs from the iterative reference");
        }
    }

    [Fact]
    public void Random_n_up_to_100000_match_big_integer_fast_doubling()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        for (var i = 0; i < 40; i++)
        {
            // Log-uniform, so every transform size gets its share of cases.
            var n = (int)Math.Pow(10, 2 + (3 * random.NextDouble()));
            Assert.True(
                BigIntegerFibonacci.Compute(n) == _engine.Value(n),
                $"F({n}) differs from BigInteger fast doubling (seed {seed})");
        }
    }

    [Fact]
    public void Every_n_around_the_schoolbook_threshold_matches()
    {
        // Steps switch from schoolbook to transforms when an operand exceeds the threshold: F(k) with k near 2070.
        for (var n = 4000; n <= 4300; n += 3)
        {
            Assert.True(BigIntegerFibonacci.Compute(n) == _engine.Value(n), $"F({n}) differs");
        }
    }

    [Fact]
    public void Replies_are_not_changed_by_later_calls()
    {
        foreach (var n in new[] { 50, 5000 })
        {
            var first = _engine.ComputeDecimal(n);
            var copy = first.ToArray();
            _engine.ComputeDecimal(n);
            _engine.ComputeDecimal(n + 1);
            Assert.True(copy.AsSpan().SequenceEqual(first.Span), $"reply for {n} changed");
        }
    }

    [Fact]
    public void Small_n_replies_do_not_allocate()
    {
        _engine.ComputeDecimal(93);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var n = 0; n <= 93; n++)
        {
            _engine.ComputeDecimal(n);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Negative_n_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _engine.ComputeDecimal(-1));

    [Fact]
    public void Concurrent_calls_of_different_sizes_are_correct()
    {
        // Threads race to grow the shared twiddle tables.
        var ns = Enumerable.Range(0, 16).Select(i => 100 + (i * 7919 % 120_000)).ToArray();
        var results = new string[ns.Length];
        Parallel.For(0, ns.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = _engine.Decimal(ns[i]));
        for (var i = 0; i < ns.Length; i++)
        {
            Assert.True(
                BigIntegerFibonacci.Compute(ns[i]).ToString(CultureInfo.InvariantCulture) == results[i],
                $"F({ns[i]}) differs");
        }
    }

    [Fact]
    public void Already_cancelled_token_stops_a_large_computation() =>
        Assert.ThrowsAny<OperationCanceledException>(() => _engine.ComputeDecimal(10_000_000, new CancellationToken(true)));

    [Fact]
    public void Cancellation_interrupts_a_running_computation()
    {
        // F(10^8) takes over half a second here (most of it in the last steps); cancelled 50 ms in, it must stop
        // between doubling steps or transform primes instead of finishing.
        // The canceller is a thread of its own: a timer would run on the thread pool, which a busy test run can
        // starve until the computation is over.
        using var cancellation = new CancellationTokenSource();
        var canceller = new Thread(() =>
        {
            Thread.Sleep(50);
            cancellation.Cancel();
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        canceller.Start();
        Assert.ThrowsAny<OperationCanceledException>(() => _engine.ComputeDecimal(100_000_000, cancellation.Token));
        output.WriteLine($"cancelled after {watch.ElapsedMilliseconds} ms");
    }
}

using System.Text;
using FibRpc.Engine;

namespace FibRpc.Engine.Tests;

public sealed class CachingFibonacciEngineTests
{
    [Fact]
    public void Replies_are_identical_to_the_inner_engine()
    {
        var cache = new CachingFibonacciEngine(new FibonacciEngine(), 1 << 20);
        var plain = new FibonacciEngine();
        foreach (var n in new[] { 0, 1, 10, 93, 94, 5000, 20000, 5000 })
        {
            Assert.True(plain.ComputeDecimal(n).Span.SequenceEqual(cache.ComputeDecimal(n).Span), $"F({n}) differs");
        }
    }

    [Fact]
    public void Least_recently_used_replies_are_evicted_by_bytes()
    {
        // CountingEngine replies with n bytes, so the byte accounting is visible.
        var inner = new CountingEngine();
        var cache = new CachingFibonacciEngine(inner, 100);
        var first = cache.ComputeDecimal(40);
        cache.ComputeDecimal(30);
        cache.ComputeDecimal(20); // 90 bytes cached
        Assert.Equal(90, cache.CachedBytes);
        cache.ComputeDecimal(40); // touch 40: now 30 is the least recently used
        cache.ComputeDecimal(25); // 115 > 100: evicts 30 only
        Assert.Equal(85, cache.CachedBytes);
        Assert.Equal(3, cache.Count);

        Assert.True(first.Span.SequenceEqual(cache.ComputeDecimal(40).Span));
        cache.ComputeDecimal(20);
        cache.ComputeDecimal(25);
        Assert.Equal(1, inner.Calls(40));
        Assert.Equal(1, inner.Calls(20));
        Assert.Equal(1, inner.Calls(25));

        cache.ComputeDecimal(30);
        Assert.Equal(2, inner.Calls(30));
        Assert.True(cache.CachedBytes <= 100);
    }

    [Fact]
    public void A_reply_larger_than_the_capacity_is_returned_but_not_cached()
    {
        var inner = new CountingEngine();
        var cache = new CachingFibonacciEngine(inner, 50);
        cache.ComputeDecimal(10);
        Assert.Equal(60, cache.ComputeDecimal(60).Length);
        cache.ComputeDecimal(60);
        Assert.Equal(2, inner.Calls(60));
        Assert.Equal(10, cache.CachedBytes); // the small entry survived
    }

    [Fact]
    public void Small_n_below_the_bypass_go_straight_to_the_inner_engine()
    {
        var inner = new CountingEngine();
        var cache = new CachingFibonacciEngine(inner, 1000, uncachedUpTo: 10);
        cache.ComputeDecimal(10);
        cache.ComputeDecimal(10);
        cache.ComputeDecimal(11);
        cache.ComputeDecimal(11);
        Assert.Equal(2, inner.Calls(10));
        Assert.Equal(1, inner.Calls(11));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Capacity_zero_disables_caching()
    {
        var inner = new CountingEngine();
        var cache = new CachingFibonacciEngine(inner, 0);
        cache.ComputeDecimal(5);
        cache.ComputeDecimal(5);
        Assert.Equal(2, inner.Calls(5));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingFibonacciEngine(new CountingEngine(), -1));
        Assert.Throws<ArgumentNullException>(() => new CachingFibonacciEngine(null!, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingFibonacciEngine(new CountingEngine(), 10).ComputeDecimal(-1));
    }

    [Fact]
    public async Task A_caller_is_never_blocked_by_another_computing_the_same_n()
    {
        // The first computation of 42 is held; a second caller of 42 computes it itself instead of waiting.
        using var release = new ManualResetEventSlim();
        var inner = new CountingEngine(release, holdFirstCallOnly: true);
        var cache = new CachingFibonacciEngine(inner, 1000);
        var first = Task.Factory.StartNew(() => cache.ComputeDecimal(42), TaskCreationOptions.LongRunning);
        Assert.True(SpinWait.SpinUntil(() => inner.Calls(42) == 1, TimeSpan.FromSeconds(10)));

        var second = Task.Factory.StartNew(() => cache.ComputeDecimal(42), TaskCreationOptions.LongRunning);
        Assert.Equal(42, (await second.WaitAsync(TimeSpan.FromSeconds(10))).Length);
        Assert.False(first.IsCompleted);

        release.Set();
        Assert.Equal(42, (await first.WaitAsync(TimeSpan.FromSeconds(10))).Length);
        Assert.Equal(2, inner.Calls(42));
        Assert.Equal(1, cache.Count);
        Assert.Equal(42, cache.CachedBytes);
    }

    [Fact]
    public void A_cancelled_computation_caches_nothing()
    {
        var inner = new CountingEngine(throwOnCancel: true);
        var cache = new CachingFibonacciEngine(inner, 1000);

        Assert.ThrowsAny<OperationCanceledException>(() => cache.ComputeDecimal(9, new CancellationToken(true)));
        Assert.Equal(0, cache.Count);
        Assert.Equal(9, cache.ComputeDecimal(9).Length);
        Assert.Equal(1, cache.Count);
    }

    /// <summary>Replies with n copies of 'x' (so a reply's size is n bytes), counts calls per n, can be held or cancelled.</summary>
    private sealed class CountingEngine(ManualResetEventSlim? release = null, bool holdFirstCallOnly = false, bool throwOnCancel = false) : IFibonacciEngine
    {
        private readonly Dictionary<int, int> _calls = [];
        private int _started;

        public int Calls(int n)
        {
            lock (_calls)
            {
                return _calls.GetValueOrDefault(n);
            }
        }

        public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
        {
            lock (_calls)
            {
                _calls[n] = _calls.GetValueOrDefault(n) + 1;
            }

            if (throwOnCancel)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!holdFirstCallOnly || Interlocked.Increment(ref _started) == 1)
            {
                release?.Wait(cancellationToken);
            }

            return Encoding.ASCII.GetBytes(new string('x', n));
        }
    }
}

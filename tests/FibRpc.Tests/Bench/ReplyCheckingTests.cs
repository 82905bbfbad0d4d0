using System.Text;
using FibRpc.Cli.Bench;
using FibRpc.Client;
using FibRpc.Engine;

namespace FibRpc.Tests.Bench;

public sealed class ReplyCheckingTests
{
    [Fact]
    public void Fibonacci_AcceptsOnlyTheExactDigits()
    {
        var verifier = ReplyVerifier.ForFibonacci(new FibonacciEngine(), Workload.Fixed(30));
        Assert.True(verifier.IsCorrect(30, "832040"u8));
        Assert.False(verifier.IsCorrect(30, "832041"u8));
        Assert.False(verifier.IsCorrect(30, "0832040"u8));
        Assert.False(verifier.IsCorrect(30, " 832040"u8));
        Assert.False(verifier.IsCorrect(30, ""u8));
        Assert.True(verifier.IsCorrect(0, "0"u8));
        Assert.Null(verifier.ExpectedConstant);
    }

    [Fact]
    public void Fibonacci_ComputesEachDistinctNOnce()
    {
        var engine = new CountingEngine();
        Assert.True(Workload.TryParseMix("10:1,20:1", out var workload, out _));
        var verifier = ReplyVerifier.ForFibonacci(engine, workload!);
        Assert.Equal(2, engine.Calls);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(verifier.IsCorrect(10, "55"u8));
            Assert.True(verifier.IsCorrect(20, "6765"u8));
        }

        Assert.Equal(2, engine.Calls);
    }

    [Fact]
    public void Constant_AcceptsOnlyTheConstant()
    {
        var verifier = ReplyVerifier.ForConstant("ceiling");
        Assert.True(verifier.IsCorrect(10, "ceiling"u8));
        Assert.False(verifier.IsCorrect(10, "55"u8));
        Assert.Equal("ceiling", verifier.ExpectedConstant);
    }

    [Fact]
    public async Task LoadLoop_CountsWrongAnswersErrorsAndTimeouts_AndTheResultFails()
    {
        var settings = Settings(requests: 40, concurrency: 4);
        var verifier = ReplyVerifier.ForFibonacci(new FibonacciEngine(), settings.Workload);
        var calls = 0;
        var loop = new LoadLoop((body, _) =>
        {
            Assert.Equal("10", Encoding.ASCII.GetString(body.Span));
            return (Interlocked.Increment(ref calls) % 10) switch
            {
                1 => Task.FromResult<ReadOnlyMemory<byte>>("56"u8.ToArray()),
                2 => Task.FromException<ReadOnlyMemory<byte>>(new FibRpcErrorReplyException("internal_error", "boom")),
                3 => Task.FromException<ReadOnlyMemory<byte>>(new FibRpcTimeoutException("no reply", TimeSpan.FromSeconds(1), requestConfirmed: true)),
                _ => Task.FromResult<ReadOnlyMemory<byte>>("55"u8.ToArray()),
            };
        }, settings, verifier);

        var (warmup, measured, cpu) = await loop.RunAsync(CancellationToken.None);
        var result = BenchResult.From(settings, verifier, warmup, measured, cpu, unmatched: 0);

        Assert.Equal(0, warmup.Sent);
        Assert.Equal(40, measured.Sent);
        Assert.Equal(4, result.WrongAnswers);
        Assert.Equal(4, result.ErrorReplies);
        Assert.Equal(4, result.Timeouts);
        Assert.Equal(28, result.Correct);
        Assert.Equal(36, result.Replies);
        Assert.False(result.Passed);
        Assert.Contains("wrong", result.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadLoop_AllRight_Passes_AndStopsAtTheRequestCount()
    {
        var settings = Settings(requests: 100, concurrency: 8);
        var verifier = ReplyVerifier.ForFibonacci(new FibonacciEngine(), settings.Workload);
        var loop = new LoadLoop((_, _) => Task.FromResult<ReadOnlyMemory<byte>>("55"u8.ToArray()), settings, verifier);

        var (warmup, measured, cpu) = await loop.RunAsync(CancellationToken.None);
        var result = BenchResult.From(settings, verifier, warmup, measured, cpu, unmatched: 0);

        Assert.Equal(100, result.Replies);
        Assert.True(result.Passed);
        Assert.Equal("fibonacci", result.Verification);
        Assert.Equal(100, measured.Latency.Count);
    }

    [Fact]
    public async Task LoadLoop_StopsAtTheDuration()
    {
        // Two seconds, not less: other test classes keep both cores busy, and a starved thread pool can take a good
        // part of a second to start the workers, which would leave a shorter run with no reply at all.
        var settings = Settings(requests: long.MaxValue, concurrency: 2) with { Duration = TimeSpan.FromSeconds(2) };
        var verifier = ReplyVerifier.ForFibonacci(new FibonacciEngine(), settings.Workload);
        var loop = new LoadLoop(async (_, token) =>
        {
            await Task.Delay(5, token);
            return "55"u8.ToArray();
        }, settings, verifier);

        var started = DateTime.UtcNow;
        var (_, measured, _) = await loop.RunAsync(CancellationToken.None);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(1950), TimeSpan.FromSeconds(12));
        Assert.True(measured.Replies > 0, $"sent {measured.Sent} correct {measured.Correct} wrong {measured.WrongAnswers} errors {measured.ErrorReplies} timeouts {measured.Timeouts}");
    }

    [Fact]
    public async Task LoadLoop_FatalFailure_StopsTheRun()
    {
        var settings = Settings(requests: 1000, concurrency: 4);
        var verifier = ReplyVerifier.ForFibonacci(new FibonacciEngine(), settings.Workload);
        var loop = new LoadLoop((_, _) => Task.FromException<ReadOnlyMemory<byte>>(new FibRpcUnroutableException("nowhere")), settings, verifier);
        await Assert.ThrowsAsync<FibRpcUnroutableException>(() => loop.RunAsync(CancellationToken.None));
    }

    private static BenchSettings Settings(long requests, int concurrency) => new(
        Workload.Fixed(10), concurrency, requests, TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromSeconds(1));

    private sealed class CountingEngine : IFibonacciEngine
    {
        private int _calls;

        public int Calls => _calls;

        public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return new FibonacciEngine().ComputeDecimal(n, cancellationToken);
        }
    }
}

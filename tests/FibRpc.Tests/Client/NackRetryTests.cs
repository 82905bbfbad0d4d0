using System.Diagnostics;
using FibRpc.Client;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Tests.Client;

/// <summary>How often and how long the client tries a request the broker keeps nacking.</summary>
public sealed class NackRetryTests
{
    private static async Task<int> AttemptsUntilGivenUpAsync(int allowed, TimeSpan limit, bool isReturn = false)
    {
        var attempts = 0;
        await Assert.ThrowsAsync<PublishException>(() => new NackRetry(allowed).ExecuteAsync<int>(
            _ =>
            {
                attempts++;
                throw new PublishException(1, isReturn);
            },
            Stopwatch.GetTimestamp(), limit, CancellationToken.None));
        return attempts;
    }

    [Fact]
    public async Task A_nack_is_tried_again_up_to_the_allowed_attempts()
    {
        Assert.Equal(4, await AttemptsUntilGivenUpAsync(4, TimeSpan.FromSeconds(30)));
        Assert.Equal(1, await AttemptsUntilGivenUpAsync(1, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task No_wait_starts_that_the_call_s_time_would_cut_short()
    {
        // The first wait is 50 ms: a call with 40 ms left gets the nack at once.
        var clock = Stopwatch.StartNew();
        Assert.Equal(1, await AttemptsUntilGivenUpAsync(4, TimeSpan.FromMilliseconds(40)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"gave up after {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_return_is_never_tried_again()
    {
        Assert.Equal(1, await AttemptsUntilGivenUpAsync(4, TimeSpan.FromSeconds(30), isReturn: true));
    }
}

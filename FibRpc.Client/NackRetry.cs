using System.Diagnostics;
using Polly;
using Polly.Retry;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Client;

/// <summary>
/// The client's retry of a request the broker nacked: exponential waits from 50 ms, no jitter, at most
/// <see cref="FibRpcClientOptions.PublishAttempts"/> attempts, and never a wait that the call's own time would cut
/// short (the nack is then the answer at once).
/// </summary>
internal sealed class NackRetry
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(50);

    // Waits stop doubling at 1024 x 50 ms: more attempts than that are allowed, never longer waits.
    private static readonly TimeSpan LongestWait = FirstWait * 1024;

    private static readonly ResiliencePropertyKey<(long Started, TimeSpan Limit)> Budget = new("fibrpc.call-budget");

    private readonly ResiliencePipeline _pipeline;

    public NackRetry(int attempts) =>
        _pipeline = attempts <= 1
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = FirstWait,
                MaxDelay = LongestWait,
                UseJitter = false,
                ShouldHandle = arguments => ValueTask.FromResult(
                    arguments.Outcome.Exception is PublishException { IsReturn: false } && HasTimeToWait(arguments.Context, arguments.AttemptNumber)),
            }).Build();

    /// <summary>Runs <paramref name="attempt"/> until it is not nacked, or no attempt or time is left for another.</summary>
    public async Task<T> ExecuteAsync<T>(Func<ResilienceContext, ValueTask<T>> attempt, long started, TimeSpan limit, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Budget, (started, limit));
        try
        {
            return await _pipeline.ExecuteAsync(attempt, context).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether the call's time outlasts the wait before retry number <paramref name="retry"/> (0-based).</summary>
    private static bool HasTimeToWait(ResilienceContext context, int retry)
    {
        var (started, limit) = context.Properties.GetValue(Budget, default);
        var wait = retry >= 10 ? LongestWait : FirstWait * (1 << retry);
        return limit - Stopwatch.GetElapsedTime(started) > wait;
    }
}

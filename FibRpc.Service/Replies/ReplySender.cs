using FibRpc.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using RabbitMQ.Client;

namespace FibRpc.Service.Replies;

/// <summary>
/// Publishes a reply with confirms, retrying a transient failure (nack, no confirm in time, connection lost) a
/// bounded number of times with a growing back-off, each time on a fresh channel, before it gives the failure to the
/// service: a retry here costs a publish, a retry of the request costs a whole attempt, and under the Functions host
/// its republished copy is not even confirmed. Blocks, refusals and forbidden publishes are not retried here: the
/// publisher has already waited for a block to lift, and a refusal or a missing permission fails the same way at once.
/// </summary>
public sealed partial class ReplySender
{
    private readonly IConfirmedPublisher _publisher;
    private readonly ResiliencePipeline _retry;
    private readonly ReplyHealth _health;

    public ReplySender(IConfirmedPublisher publisher, IOptions<FibRpcOptions> options, TimeProvider clock, ReplyHealth health, ILogger<ReplySender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _publisher = publisher;
        _health = health;
        var attempts = options.Value.ReplyPublishAttempts;
        _retry = attempts <= 1
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = clock }
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<PublishFailedException>(e => IsTransient(e.Failure)),
                    MaxRetryAttempts = attempts - 1,
                    DelayGenerator = arguments => ValueTask.FromResult<TimeSpan?>(PauseAfter(arguments.AttemptNumber + 1)),
                    OnRetry = arguments =>
                    {
                        LogRetrying(logger, arguments.AttemptNumber + 1, attempts, arguments.RetryDelay.TotalMilliseconds,
                            arguments.Outcome.Exception?.Message ?? "");
                        return ValueTask.CompletedTask;
                    },
                })
                .Build();
    }

    /// <summary>The pause after a given number of failed attempts (replaceable so that unit tests need not wait).</summary>
    internal Func<int, TimeSpan> PauseAfter { get; init; } = Backoff;

    /// <summary>
    /// Publishes a reply to <paramref name="queue"/>, mandatory by default for every name but direct reply-to;
    /// <paramref name="retry"/> false tries once (the warm-up).
    /// </summary>
    /// <returns><see cref="PublishOutcome.Returned"/> when the reply's queue does not exist (mandatory replies only).</returns>
    /// <exception cref="PublishFailedException">Every attempt failed, or the failure was not one that a retry can cure.</exception>
    public async Task<PublishOutcome> SendAsync(string queue, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken, bool? mandatory = null, bool retry = true)
    {
        try
        {
            var outcome = await (retry ? _retry : ResiliencePipeline.Empty).ExecuteAsync(
                static async (state, token) => await state.Publisher.PublishAsync(state.Queue, state.Mandatory, state.Properties, state.Body, token).ConfigureAwait(false),
                (Publisher: _publisher, Queue: queue, Mandatory: mandatory ?? ReplyPolicy.IsMandatory(queue), Properties: properties, Body: body),
                cancellationToken).ConfigureAwait(false);
            _health.Published();
            return outcome;
        }
        catch (PublishFailedException e) when (e.Failure == PublishFailure.Forbidden)
        {
            _health.Forbidden(e.Message);
            throw;
        }
    }

    private static bool IsTransient(PublishFailure failure) =>
        failure is PublishFailure.Nacked or PublishFailure.TimedOut or PublishFailure.ConnectionLost;

    /// <summary>250 ms, then 1 s, then 4 s, ...: long enough for the connection's automatic recovery (1 s interval) to act.</summary>
    internal static TimeSpan Backoff(int failedAttempts) =>
        TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(4, failedAttempts - 1), 10_000));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply failed, attempt {Attempt} of {Attempts}; trying again on a fresh channel in {PauseMs} ms: {Reason}")]
    private static partial void LogRetrying(ILogger logger, int attempt, int attempts, double pauseMs, string reason);
}

using FibRpc.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace FibRpc.Service.Replies;

/// <summary>
/// Publishes a reply with confirms, retrying a transient failure (nack, no confirm in time, connection lost) a
/// bounded number of times with a growing back-off, each time on a fresh channel, before it gives the failure to
/// the trigger: a retry here costs a publish, a retry by the trigger costs a whole attempt at the request, and under
/// the Functions host its republished copy is not even confirmed. A block by the broker is not retried here: the
/// publisher has already waited for it to lift.
/// </summary>
public sealed partial class ReplySender(IConfirmedPublisher publisher, IOptions<FibRpcOptions> options, ILogger<ReplySender> logger)
{
    private readonly int _attempts = options.Value.ReplyPublishAttempts;

    /// <summary>The pause after a given number of failed attempts (replaceable so that unit tests need not wait).</summary>
    internal Func<int, TimeSpan> PauseAfter { get; init; } = Backoff;

    /// <exception cref="PublishFailedException">Every attempt failed transiently, or the broker blocks publishers.</exception>
    public async Task<ReplyDelivery> SendAsync(string queue, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await publisher.PublishAsync(queue, ReplyPolicy.IsMandatory(queue), properties, body, cancellationToken).ConfigureAwait(false);
                return outcome == PublishOutcome.Returned ? ReplyDelivery.Returned : ReplyDelivery.Confirmed;
            }
            catch (PublishFailedException e) when (e.Failure == PublishFailure.Refused)
            {
                return ReplyDelivery.Refused;
            }
            catch (PublishFailedException e) when (e.Failure != PublishFailure.Blocked && attempt < _attempts)
            {
                var pause = PauseAfter(attempt);
                LogRetrying(logger, queue, properties.CorrelationId, attempt, _attempts, pause.TotalMilliseconds, e.Message);
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>250 ms, then 1 s, then 4 s, ...: long enough for the connection's automatic recovery (1 s interval) to act.</summary>
    internal static TimeSpan Backoff(int failedAttempts) =>
        TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(4, failedAttempts - 1), 10_000));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply to '{Queue}' (correlation id {CorrelationId}) failed, attempt {Attempt} of {Attempts}; trying again on a fresh channel in {PauseMs} ms: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string queue, string? correlationId, int attempt, int attempts, double pauseMs, string reason);
}

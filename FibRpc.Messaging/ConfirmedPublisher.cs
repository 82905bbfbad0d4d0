using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Messaging;

/// <summary>
/// Publishes with publisher confirms over pooled channels, each serving one publisher at a time. Every wait is
/// bounded: a block by the broker by <paramref name="blockedWait"/>, the confirm by <paramref name="confirmTimeout"/>,
/// and both end at once when the channel or connection goes down. A channel that failed in any way is discarded.
/// </summary>
public sealed partial class ConfirmedPublisher(RabbitConnection connection, TimeSpan confirmTimeout, TimeSpan blockedWait, ILogger<ConfirmedPublisher> logger)
    : IConfirmedPublisher, IAsyncDisposable
{
    /// <summary>AMQP reply codes with which the broker closes a channel or connection because of where the message went.</summary>
    private static readonly HashSet<ushort> RefusalCodes = [Constants.PreconditionFailed, Constants.InternalError];

    /// <summary>AMQP reply codes with which the broker refuses the publisher itself: permissions, a missing exchange or vhost.</summary>
    private static readonly HashSet<ushort> ForbiddenCodes = [Constants.AccessRefused, Constants.NotFound, Constants.NotAllowed];

    private readonly ConcurrentBag<ConfirmLane> _idle = [];

    public async Task<PublishOutcome> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await connection.WaitUntilUnblockedAsync(blockedWait, cancellationToken).ConfigureAwait(false);
        var lane = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (acked, returned) = await lane.PublishAsync(queue, mandatory, properties, body, confirmTimeout, cancellationToken).ConfigureAwait(false);
            if (!acked)
            {
                throw new PublishFailedException(PublishFailure.Nacked, $"the broker nacked the message to '{queue}'");
            }

            _idle.Add(lane);
            if (returned)
            {
                LogReturned(logger, queue, properties.CorrelationId);
                return PublishOutcome.Returned;
            }

            return PublishOutcome.Confirmed;
        }
        catch (Exception e)
        {
            // Whatever the channel saw, it is not trusted with another message: a late confirm would confuse the next.
            await lane.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw Classify(e, lane.CloseReason, queue);
        }
    }

    private static PublishFailedException Classify(Exception error, ShutdownEventArgs? closeReason, string queue)
    {
        if (error is PublishFailedException failed)
        {
            return failed;
        }

        if (error is TimeoutException)
        {
            return new PublishFailedException(PublishFailure.TimedOut, $"the broker did not confirm the message to '{queue}' in time", error);
        }

        var reason = closeReason
            ?? (error as ConfirmLane.ChannelClosedException)?.Reason
            ?? (error as OperationInterruptedException)?.ShutdownReason;
        if (reason is { Initiator: ShutdownInitiator.Peer } && ForbiddenCodes.Contains(reason.ReplyCode))
        {
            return new PublishFailedException(PublishFailure.Forbidden, $"the broker does not let this service publish to '{queue}': {reason.ReplyCode} {reason.ReplyText}", error);
        }

        return reason is { Initiator: ShutdownInitiator.Peer } && RefusalCodes.Contains(reason.ReplyCode)
            ? new PublishFailedException(PublishFailure.Refused, $"the broker refused the message to '{queue}': {reason.ReplyCode} {reason.ReplyText}", error)
            : new PublishFailedException(PublishFailure.ConnectionLost,
                $"the connection to the broker went down while publishing to '{queue}'{(reason is null ? $": {error.Message}" : $" ({reason.ReplyCode} {reason.ReplyText})")}", error);
    }

    private async ValueTask<ConfirmLane> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var lane))
        {
            if (lane.IsUsable)
            {
                return lane;
            }

            await lane.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            var open = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
            return await ConfirmLane.OpenAsync(open, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException or IOException
            or ObjectDisposedException)
        {
            throw new PublishFailedException(PublishFailure.ConnectionLost, $"no channel to the broker: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var lane))
        {
            await lane.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message to '{Queue}' (correlation id {CorrelationId}) was returned as unroutable: the queue does not exist")]
    private static partial void LogReturned(ILogger logger, string queue, string? correlationId);
}

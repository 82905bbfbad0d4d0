using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Messaging;

/// <summary>
/// Publishes with publisher confirms over the shared connection. Channels are pooled, never created per message,
/// and a channel serves one publisher at a time, so concurrent callers never interleave on one channel.
/// </summary>
public sealed partial class ConfirmedPublisher(RabbitConnection connection, TimeSpan confirmTimeout, ILogger<ConfirmedPublisher> logger)
    : IConfirmedPublisher, IAsyncDisposable
{
    // No outstanding-confirm rate limiter: a pooled channel carries one publish at a time, so the default limiter
    // (128 in flight) could never throttle, yet it would take and release a lease on every reply.
    private static readonly CreateChannelOptions ConfirmChannel = new(
        publisherConfirmationsEnabled: true,
        publisherConfirmationTrackingEnabled: true,
        outstandingPublisherConfirmationsRateLimiter: null);

    private readonly ConcurrentBag<Lane> _idle = [];

    public async Task<PublishOutcome> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var lane = await RentAsync(cancellationToken).ConfigureAwait(false);
        var channel = lane.Channel;

        // The confirm deadline lives with the channel and is reset after each publish, instead of a linked token
        // source and a timer allocated per reply; the caller's token still cancels the wait through a registration.
        lane.Deadline.CancelAfter(confirmTimeout);
        var callerCancels = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), lane.Deadline);
        try
        {
            // With confirmation tracking on, this completes when the broker confirms, and throws on return or nack.
            await channel.BasicPublishAsync(string.Empty, queue, mandatory, properties, body, lane.Deadline.Token).ConfigureAwait(false);
            await ReturnAsync(lane, callerCancels).ConfigureAwait(false);
            return PublishOutcome.Confirmed;
        }
        catch (PublishException e) when (e.IsReturn)
        {
            await ReturnAsync(lane, callerCancels).ConfigureAwait(false);
            LogReturned(logger, queue, properties.CorrelationId);
            return PublishOutcome.Returned;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The confirm may still arrive on this channel; drop it rather than confuse the next publisher.
            await callerCancels.DisposeAsync().ConfigureAwait(false);
            await DiscardAsync(lane).ConfigureAwait(false);
            throw new TimeoutException($"the broker did not confirm the message to '{queue}' within {confirmTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            await callerCancels.DisposeAsync().ConfigureAwait(false);
            await DiscardAsync(lane).ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask<Lane> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var lane))
        {
            if (lane.Channel.IsOpen)
            {
                return lane;
            }

            await DiscardAsync(lane).ConfigureAwait(false);
        }

        var open = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
        return new Lane(await open.CreateChannelAsync(ConfirmChannel, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Back to the pool, once the caller's registration is gone and the deadline is reset.</summary>
    private async ValueTask ReturnAsync(Lane lane, CancellationTokenRegistration callerCancels)
    {
        // Disposing waits for a cancellation callback already running, so none can hit the lane's next user.
        await callerCancels.DisposeAsync().ConfigureAwait(false);
        if (!lane.Deadline.TryReset())
        {
            // Cancelled after the publish completed (deadline or caller, a photo finish): a fresh source for the next use.
            lane.Deadline.Dispose();
            lane.Deadline = new CancellationTokenSource();
        }

        _idle.Add(lane);
    }

    private static async ValueTask DiscardAsync(Lane lane)
    {
        var channel = lane.Channel;
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException or IOException)
        {
            // The channel is broken already; nothing more to release.
        }

        channel.Dispose();
        lane.Deadline.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var lane))
        {
            await DiscardAsync(lane).ConfigureAwait(false);
        }
    }

    /// <summary>A pooled confirm channel and its reusable confirm deadline.</summary>
    private sealed class Lane(IChannel channel)
    {
        public IChannel Channel { get; } = channel;

        public CancellationTokenSource Deadline { get; set; } = new();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message to '{Queue}' (correlation id {CorrelationId}) was returned as unroutable: the queue does not exist")]
    private static partial void LogReturned(ILogger logger, string queue, string? correlationId);
}

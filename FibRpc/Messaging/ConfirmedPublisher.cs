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
    private static readonly CreateChannelOptions ConfirmChannel = new(
        publisherConfirmationsEnabled: true,
        publisherConfirmationTrackingEnabled: true);

    private readonly ConcurrentBag<IChannel> _idle = [];

    public async Task<PublishOutcome> PublishAsync(string queue, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var channel = await RentAsync(cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(confirmTimeout);
        try
        {
            // With confirmation tracking on, this completes when the broker confirms, and throws on return or nack.
            await channel.BasicPublishAsync(string.Empty, queue, IsMandatory(queue), properties, body, deadline.Token).ConfigureAwait(false);
            _idle.Add(channel);
            return PublishOutcome.Confirmed;
        }
        catch (PublishException e) when (e.IsReturn)
        {
            _idle.Add(channel);
            LogReturned(logger, queue, properties.CorrelationId);
            return PublishOutcome.Returned;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The confirm may still arrive on this channel; drop it rather than confuse the next publisher.
            await DiscardAsync(channel).ConfigureAwait(false);
            throw new TimeoutException($"the broker did not confirm the message to '{queue}' within {confirmTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            await DiscardAsync(channel).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Mandatory, so that a reply to a vanished queue comes back as returned instead of vanishing, except for direct
    /// reply-to: RabbitMQ returns mandatory messages to <c>amq.rabbitmq.reply-to.*</c> even when it delivers them,
    /// and drops them itself when the client is gone.
    /// </summary>
    public static bool IsMandatory(string queue) => !queue.StartsWith(RpcNames.DirectReplyTo, StringComparison.Ordinal);

    private async ValueTask<IChannel> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var channel))
        {
            if (channel.IsOpen)
            {
                return channel;
            }

            await DiscardAsync(channel).ConfigureAwait(false);
        }

        var open = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
        return await open.CreateChannelAsync(ConfirmChannel, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask DiscardAsync(IChannel channel)
    {
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
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var channel))
        {
            await DiscardAsync(channel).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message to '{Queue}' (correlation id {CorrelationId}) was returned as unroutable: the queue does not exist")]
    private static partial void LogReturned(ILogger logger, string queue, string? correlationId);
}

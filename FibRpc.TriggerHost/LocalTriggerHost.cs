using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Binding;
using FibRpc.Service.Handling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.TriggerHost;

/// <summary>
/// Consumes the request queue with the contract of the Functions host's RabbitMQ trigger (prefetch from host.json, one
/// delivery at a time, ack after the service is done) and carries out the service's <see cref="Disposition"/>: ack;
/// retry = a confirmed copy with the attempt counted to the tail of the queue, then ack; dead-letter = reject without
/// requeue. It decides nothing itself. Unlike the Functions host it settles every delivery on every path, confirms
/// its retry copies, and consumes on a connection of its own, apart from the replies'. Runs as a hosted service for
/// the lifetime of a generic host (fibrpc serve), whose shutdown timeout bounds the request in flight.
/// </summary>
public sealed partial class LocalTriggerHost : IHostedService, IAsyncDisposable
{
    private readonly RabbitConnection _consumer;
    private readonly RequestService _service;
    private readonly ServiceWarmUp _warmUp;
    private readonly IConfirmedPublisher _publisher;
    private readonly LocalTriggerOptions _trigger;
    private readonly ILogger<LocalTriggerHost> _logger;
    private readonly string _queue;
    private readonly CancellationTokenSource _abort = new();
    private readonly SemaphoreSlim _idle = new(1, 1);
    private IChannel? _channel;
    private string? _consumerTag;
    private volatile bool _stopping;
    private volatile bool _cancelled;
    private long _handled;
    private int _disposed;

    /// <summary>How long the consumer waits for the warm-up before it consumes all the same.</summary>
    private static readonly TimeSpan WarmUpPatience = TimeSpan.FromSeconds(3);

    public LocalTriggerHost(
        RabbitConnection replies,
        RequestService service,
        ServiceWarmUp warmUp,
        IConfirmedPublisher publisher,
        IOptions<LocalTriggerOptions> triggerOptions,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(replies);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(triggerOptions);
        ArgumentNullException.ThrowIfNull(loggers);
        _consumer = new RabbitConnection(replies.Uri, ConnectionNames.Consumer(ConnectionNames.Service), loggers.CreateLogger<RabbitConnection>(), replies.CaFile);
        _service = service;
        _warmUp = warmUp;
        _publisher = publisher;
        _trigger = triggerOptions.Value;
        _logger = loggers.CreateLogger<LocalTriggerHost>();
        _queue = service.RequestQueue;
    }

    /// <summary>Whether the consumer is attached: started, not stopping, and not cancelled by the broker since it last registered.</summary>
    public bool IsConsuming => _channel is { IsOpen: true } && _consumerTag is not null && !_stopping && !_cancelled;

    /// <summary>Deliveries settled so far (any outcome), for diagnostics and tests.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // One-time work before the consumer attaches, so that the first request costs what any other does.
        // Both connections open side by side: the warm-up (reply connection, confirm channel, engine, reply path)
        // runs while the consuming connection is set up, so it adds nothing to the time until the first reply.
        var consuming = _consumer.GetAsync(cancellationToken).AsTask();
        if (_trigger.WarmUp)
        {
            // Bounded: under a broker alarm the warm-up's publish waits for the block to lift, and the consumer must
            // not wait with it (requests are held, not refused, while the broker blocks). It goes on in the background.
            try
            {
                await _warmUp.WarmUpAsync().WaitAsync(WarmUpPatience, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogWarmUpPending(_logger, WarmUpPatience.TotalSeconds);
            }
        }

        var open = await consuming.ConfigureAwait(false);
        var channel = await open.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            // Passive, like the Functions listener: the topology is declared beforehand (fibrpc topology).
            await channel.QueueDeclarePassiveAsync(_queue, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            channel.Dispose();
            throw new InvalidOperationException($"queue '{_queue}' does not exist: declare the topology first (fibrpc topology)", e);
        }

        await channel.BasicQosAsync(0, _trigger.PrefetchCount, global: false, cancellationToken).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += OnReceivedAsync;
        consumer.UnregisteredAsync += OnUnregisteredAsync;
        // Registered again when the connection recovers (automatic recovery restores the consumer).
        consumer.RegisteredAsync += (_, _) =>
        {
            _cancelled = false;
            return Task.CompletedTask;
        };
        _channel = channel;
        _consumerTag = await channel.BasicConsumeAsync(_queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
        LogStarted(_logger, _queue, _trigger.PrefetchCount);
    }

    /// <summary>Stops taking new deliveries and waits for the one in flight to be answered and acked.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_channel is not { } channel || _consumerTag is not { } tag)
        {
            return;
        }

        _stopping = true;
        _consumerTag = null;
        try
        {
            if (channel.IsOpen)
            {
                await channel.BasicCancelAsync(tag, noWait: false, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsChannelGone(e))
        {
            // The broker is gone: nothing to cancel; unacked deliveries return to the queue with the channel.
        }

        // A delivery in flight holds _idle. Once we get it, nothing is in flight, and any delivery still buffered
        // sees the stopping flag and stays unacked, to be returned to the queue when the channel closes.
        try
        {
            await _idle.WaitAsync(cancellationToken).ConfigureAwait(false);
            _idle.Release();
        }
        catch (OperationCanceledException)
        {
            // Out of patience: abandon the handler; its delivery is not acked, so the broker redelivers it.
            await _abort.CancelAsync().ConfigureAwait(false);
            LogAbandoned(_logger, _queue);
        }

        await CloseChannelAsync(channel).ConfigureAwait(false);
        LogStopped(_logger, _queue, Handled);
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        await _idle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // Deliveries may arrive before BasicConsumeAsync returns, so "stopping" is its own flag, not the tag.
            if (_stopping || _abort.IsCancellationRequested)
            {
                // Stopping: leave it unacked; closing the channel returns it to the queue.
                return;
            }

            var channel = (IChannel)((AsyncEventingBasicConsumer)sender).Channel;
            try
            {
                await DispatchAsync(channel, delivery).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Nothing may escape the consumer callback: an unsettled delivery at prefetch 1 stops the consumer.
                LogUnexpected(_logger, e, delivery.DeliveryTag);
                await SettleAsync(channel, delivery, Settlement.DeadLetter).ConfigureAwait(false);
            }
        }
        finally
        {
            _idle.Release();
        }
    }

    private async Task DispatchAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        RequestProperties properties;
        RequestResult result;
        try
        {
            properties = DeliveredProperties.From(delivery.BasicProperties, delivery.Redelivered);
        }
        catch (Exception e)
        {
            _service.Unreadable(e);
            await SettleAsync(channel, delivery, Settlement.DeadLetter).ConfigureAwait(false);
            return;
        }

        try
        {
            result = await _service.HandleAsync(delivery.Body, properties, _abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Stopping without patience: left unacked, the broker delivers it again.
            return;
        }

        var carriedOut = result.Disposition switch
        {
            Disposition.Ack => SettleAsync(channel, delivery, Settlement.Ack),
            Disposition.Retry => RetryAsync(channel, delivery, properties, result),
            _ => SettleAsync(channel, delivery, Settlement.DeadLetter),
        };
        await carriedOut.ConfigureAwait(false);
    }

    /// <summary>A copy with every property and the attempts counted goes to the tail of the queue (confirmed), then the original is acked.</summary>
    private async Task RetryAsync(IChannel channel, BasicDeliverEventArgs delivery, RequestProperties properties, RequestResult result)
    {
        try
        {
            await _publisher.PublishAsync(_queue, mandatory: false, RequestCopy.Properties(properties, result.Attempt), delivery.Body, CancellationToken.None).ConfigureAwait(false);
        }
        catch (PublishFailedException e) when (e.Failure == PublishFailure.Forbidden)
        {
            // The service may not publish at all: no further attempt can succeed until an operator acts. The broker
            // dead-letters without any publish permission, so the request is kept there.
            LogCopyForbidden(_logger, e, properties.CorrelationId);
            await SettleAsync(channel, delivery, Settlement.DeadLetter).ConfigureAwait(false);
            return;
        }
        catch (PublishFailedException e)
        {
            // The copy is not safe: give the original back to the queue instead, so nothing is lost.
            LogRequeued(_logger, e, properties.CorrelationId);
            await SettleAsync(channel, delivery, Settlement.Requeue).ConfigureAwait(false);
            return;
        }

        await SettleAsync(channel, delivery, Settlement.Ack).ConfigureAwait(false);
    }

    private enum Settlement
    {
        Ack,
        Requeue,
        DeadLetter,
    }

    /// <summary>Acks, requeues or dead-letters; a channel that is gone already settles it (the broker requeues it).</summary>
    private async Task SettleAsync(IChannel channel, BasicDeliverEventArgs delivery, Settlement settlement)
    {
        try
        {
            switch (settlement)
            {
                case Settlement.Ack:
                    await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None).ConfigureAwait(false);
                    break;
                case Settlement.Requeue:
                    await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None).ConfigureAwait(false);
                    break;
                default:
                    await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, CancellationToken.None).ConfigureAwait(false);
                    break;
            }

            Interlocked.Increment(ref _handled);
        }
        catch (Exception e) when (IsChannelGone(e))
        {
            LogSettleLost(_logger, settlement.ToString(), delivery.DeliveryTag, e.Message);
        }
    }

    private Task OnUnregisteredAsync(object sender, ConsumerEventArgs cancelled)
    {
        if (!_stopping)
        {
            _cancelled = true;
            LogConsumerCancelled(_logger, _queue);
        }

        return Task.CompletedTask;
    }

    private static bool IsChannelGone(Exception e) =>
        e is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException or IOException;

    private static async Task CloseChannelAsync(IChannel channel)
    {
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsChannelGone(e) || e is TimeoutException or OperationCanceledException)
        {
            // Gone already.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this instance twice: as itself and as the hosted service it is registered as.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _abort.CancelAsync().ConfigureAwait(false);
        if (_channel is { } channel)
        {
            await CloseChannelAsync(channel).ConfigureAwait(false);
            channel.Dispose();
        }

        await _consumer.DisposeAsync().ConfigureAwait(false);
        _abort.Dispose();
        _idle.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up not done after {Seconds} s (is the broker blocking publishers?): consuming meanwhile")]
    private static partial void LogWarmUpPending(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming '{Queue}' with prefetch {Prefetch}")]
    private static partial void LogStarted(ILogger logger, string queue, ushort prefetch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped consuming '{Queue}' after {Handled} deliveries")]
    private static partial void LogStopped(ILogger logger, string queue, long handled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown timeout: the delivery in flight on '{Queue}' is abandoned and will be redelivered")]
    private static partial void LogAbandoned(ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The retry copy of request (correlation id {CorrelationId}) may not be published either: rejected into the dead-letter queue")]
    private static partial void LogCopyForbidden(ILogger logger, Exception exception, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retry copy of request (correlation id {CorrelationId}) could not be published: the original goes back to the queue")]
    private static partial void LogRequeued(ILogger logger, Exception exception, string? correlationId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Unexpected failure handling delivery {DeliveryTag}: rejected into the dead-letter queue")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, ulong deliveryTag);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not {Settlement} delivery {DeliveryTag}: its channel is gone ({Reason}); the broker delivers it again")]
    private static partial void LogSettleLost(ILogger logger, string settlement, ulong deliveryTag, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker cancelled the consumer of '{Queue}': its node restarted or went down, or the queue was deleted. Consuming resumes when the connection recovers; a deleted queue needs fibrpc topology and a restart")]
    private static partial void LogConsumerCancelled(ILogger logger, string queue);
}

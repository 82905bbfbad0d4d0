using System.Diagnostics;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Binding;
using FibRpc.Service.Handling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.TriggerHost;

/// <summary>
/// Consumes the request queue with the contract of the Functions host's RabbitMQ trigger: prefetch from host.json,
/// one delivery handled at a time, ack after the handler returns; when the handler throws, a copy is republished
/// (confirmed) to the tail of the queue with <c>x-ms-rabbitmq-requeuecount</c> + 1 and the original acked, and at the
/// last attempt the delivery is rejected without requeue (into the dead-letter queue). It hands the handler the same
/// inputs the function gets: the body and <see cref="RequestProperties"/>.
/// Unlike the Functions host it settles every delivery on every path: nothing thrown between receiving a delivery
/// and the handler escapes the consumer callback, attempts count from the requeue header, <c>redelivered</c> and a
/// quorum queue's <c>x-delivery-count</c>, and it consumes on a connection of its own, apart from the replies'.
/// </summary>
public sealed partial class LocalTriggerHost : IAsyncDisposable
{
    private readonly RabbitConnection _replies;
    private readonly RabbitConnection _consumer;
    private readonly RequestHandler _handler;
    private readonly IConfirmedPublisher _publisher;
    private readonly FibRpcOptions _options;
    private readonly LocalTriggerOptions _trigger;
    private readonly ILogger<LocalTriggerHost> _logger;
    private readonly string _queue;
    private readonly CancellationTokenSource _abort = new();
    private readonly SemaphoreSlim _idle = new(1, 1);
    private IChannel? _channel;
    private string? _consumerTag;
    private volatile bool _stopping;
    private long _handled;

    public LocalTriggerHost(
        RabbitConnection replies,
        RequestHandler handler,
        IConfirmedPublisher publisher,
        IOptions<FibRpcOptions> options,
        IOptions<LocalTriggerOptions> triggerOptions,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(replies);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(triggerOptions);
        ArgumentNullException.ThrowIfNull(loggers);
        _replies = replies;
        _consumer = new RabbitConnection(replies.Uri, ConnectionNames.Consumer(FibRpc.Service.ServiceCollectionExtensions.ApplicationName), loggers.CreateLogger<RabbitConnection>(), replies.CaFile);
        _handler = handler;
        _publisher = publisher;
        _options = options.Value;
        _trigger = triggerOptions.Value;
        _logger = loggers.CreateLogger<LocalTriggerHost>();
        _queue = _options.RequestQueue;
    }

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
            var warming = Stopwatch.StartNew();
            await _handler.WarmUpAsync(cancellationToken).ConfigureAwait(false);
            LogWarmedUp(_logger, warming.Elapsed.TotalMilliseconds);
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
        try
        {
            properties = DeliveredProperties.From(delivery.BasicProperties, delivery.Redelivered);
        }
        catch (Exception e)
        {
            LogUnreadable(_logger, e, delivery.DeliveryTag);
            await SettleAsync(channel, delivery, Settlement.DeadLetter).ConfigureAwait(false);
            return;
        }

        if (properties.Attempt > _options.MaxAttempts)
        {
            // Delivered more often than allowed without ever being settled: the process handling it died, or the
            // broker took it back. Not tried again.
            LogExhausted(_logger, properties.CorrelationId, properties.Attempt - 1);
            await SettleAsync(channel, delivery, Settlement.DeadLetter).ConfigureAwait(false);
            return;
        }

        while (true)
        {
            try
            {
                await _handler.HandleAsync(delivery.Body, properties, _abort.Token).ConfigureAwait(false);
                await SettleAsync(channel, delivery, Settlement.Ack).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return;
            }
            catch (PublishFailedException e) when (e.Failure == PublishFailure.Blocked)
            {
                // A memory or disk alarm: no reply and no retry copy can be published until it lifts, and the
                // request is healthy. Hold it (unacked) and try again once the block lifts; no attempt is counted.
                if (!await AwaitUnblockedAsync(properties.CorrelationId).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception e)
            {
                await RetryOrDeadLetterAsync(channel, delivery, properties, e).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <returns>false when the host is stopping (the delivery stays unacked and returns to the queue).</returns>
    private async Task<bool> AwaitUnblockedAsync(string? correlationId)
    {
        while (!_stopping)
        {
            LogHeldWhileBlocked(_logger, correlationId);
            try
            {
                await _replies.WaitUntilUnblockedAsync(_options.BlockedWait, _abort.Token).ConfigureAwait(false);
                return true;
            }
            catch (PublishFailedException)
            {
                // Still blocked after the bound: say so again and keep holding.
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return false;
            }
        }

        return false;
    }

    private async Task RetryOrDeadLetterAsync(IChannel channel, BasicDeliverEventArgs delivery, RequestProperties properties, Exception failure)
    {
        var attempt = properties.Attempt;
        if (attempt >= _options.MaxAttempts)
        {
            LogRejected(_logger, failure, properties.CorrelationId, attempt);
            await SettleAsync(channel, delivery, Settlement.DeadLetter).ConfigureAwait(false);
            return;
        }

        LogRetrying(_logger, failure, properties.CorrelationId, attempt, _options.MaxAttempts);
        var headers = delivery.BasicProperties.Headers is { } original
            ? new Dictionary<string, object?>(original, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        headers[RpcNames.RequeueCountHeader] = attempt;
        var copy = new BasicProperties(delivery.BasicProperties) { Headers = headers };
        try
        {
            // Ack only once the copy is safely queued (confirmed).
            await _publisher.PublishAsync(_queue, mandatory: false, copy, delivery.Body, CancellationToken.None).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warmed up in {Milliseconds:0.0} ms: reply connection, confirm channel, engine and reply path")]
    private static partial void LogWarmedUp(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming '{Queue}' with prefetch {Prefetch}")]
    private static partial void LogStarted(ILogger logger, string queue, ushort prefetch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped consuming '{Queue}' after {Handled} deliveries")]
    private static partial void LogStopped(ILogger logger, string queue, long handled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown timeout: the delivery in flight on '{Queue}' is abandoned and will be redelivered")]
    private static partial void LogAbandoned(ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler failed (correlation id {CorrelationId}), attempt {Attempt} of {MaxAttempts}: republished for retry")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string? correlationId, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler failed (correlation id {CorrelationId}) at attempt {Attempt}: rejected into the dead-letter queue")]
    private static partial void LogRejected(ILogger logger, Exception exception, string? correlationId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request (correlation id {CorrelationId}) was delivered {Deliveries} times before without being settled: rejected into the dead-letter queue")]
    private static partial void LogExhausted(ILogger logger, string? correlationId, int deliveries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retry copy of request (correlation id {CorrelationId}) could not be published: the original goes back to the queue")]
    private static partial void LogRequeued(ILogger logger, Exception exception, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker blocks publishing: request (correlation id {CorrelationId}) held unacked until the block lifts")]
    private static partial void LogHeldWhileBlocked(ILogger logger, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryTag} has unreadable properties: rejected into the dead-letter queue")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, ulong deliveryTag);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Unexpected failure handling delivery {DeliveryTag}: rejected into the dead-letter queue")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, ulong deliveryTag);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not {Settlement} delivery {DeliveryTag}: its channel is gone ({Reason}); the broker delivers it again")]
    private static partial void LogSettleLost(ILogger logger, string settlement, ulong deliveryTag, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker cancelled the consumer of '{Queue}' (queue deleted?); no more requests are taken until restart")]
    private static partial void LogConsumerCancelled(ILogger logger, string queue);
}

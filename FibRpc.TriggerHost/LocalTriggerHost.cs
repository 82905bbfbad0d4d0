using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Binding;
using FibRpc.Service.Handling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.TriggerHost;

/// <summary>
/// Consumes the request queue with the contract of the Functions host's RabbitMQ trigger: prefetch from host.json,
/// one delivery handled at a time, ack after the handler returns; when the handler throws, a copy is republished
/// to the tail of the queue with <c>x-ms-rabbitmq-requeuecount</c> + 1 and the original acked, and at the last
/// attempt the delivery is rejected without requeue (into the dead-letter queue). It hands the handler the same
/// inputs the function gets: the body and <see cref="RequestProperties"/>.
/// </summary>
public sealed partial class LocalTriggerHost(
    RabbitConnection connection,
    RequestHandler handler,
    IConfirmedPublisher publisher,
    IOptions<FibRpcOptions> options,
    IOptions<LocalTriggerOptions> triggerOptions,
    ILogger<LocalTriggerHost> logger) : IAsyncDisposable
{
    private readonly string _queue = options.Value.RequestQueue;
    private readonly LocalTriggerOptions _trigger = triggerOptions.Value;
    private readonly CancellationTokenSource _abort = new();
    private readonly SemaphoreSlim _idle = new(1, 1);
    private IChannel? _channel;
    private string? _consumerTag;
    private volatile bool _stopping;

    /// <summary>Deliveries handled so far (any outcome), for diagnostics and tests.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    private long _handled;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var open = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var channel = await open.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            // Passive, like the Functions listener: the topology is declared beforehand (fibrpc topology).
            await channel.QueueDeclarePassiveAsync(_queue, cancellationToken).ConfigureAwait(false);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            channel.Dispose();
            throw new InvalidOperationException($"queue '{_queue}' does not exist: declare the topology first (fibrpc topology)", e);
        }

        await channel.BasicQosAsync(0, _trigger.PrefetchCount, global: false, cancellationToken).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += OnReceivedAsync;
        _channel = channel;
        _consumerTag = await channel.BasicConsumeAsync(_queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
        LogStarted(logger, _queue, _trigger.PrefetchCount);
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
        if (channel.IsOpen)
        {
            await channel.BasicCancelAsync(tag, noWait: false, CancellationToken.None).ConfigureAwait(false);
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
            LogAbandoned(logger, _queue);
        }

        if (channel.IsOpen)
        {
            await channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        }

        LogStopped(logger, _queue, Handled);
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

            await DispatchAsync(delivery).ConfigureAwait(false);
            Interlocked.Increment(ref _handled);
        }
        finally
        {
            _idle.Release();
        }
    }

    private async Task DispatchAsync(BasicDeliverEventArgs delivery)
    {
        var channel = _channel!;
        var properties = DeliveredProperties.From(delivery.BasicProperties, delivery.Redelivered);
        try
        {
            await handler.HandleAsync(delivery.Body, properties, _abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            await RetryOrRejectAsync(channel, delivery, properties, e).ConfigureAwait(false);
            return;
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RetryOrRejectAsync(IChannel channel, BasicDeliverEventArgs delivery, RequestProperties properties, Exception failure)
    {
        var attempt = properties.RequeueCount + 1;
        if (attempt >= _trigger.MaxAttempts)
        {
            LogRejected(logger, failure, properties.CorrelationId, attempt);
            await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        LogRetrying(logger, failure, properties.CorrelationId, attempt, _trigger.MaxAttempts);
        var copy = new BasicProperties(delivery.BasicProperties)
        {
            Headers = new Dictionary<string, object?>(delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
            {
                [RpcNames.RequeueCountHeader] = attempt,
            },
        };

        // Ack only once the copy is safely queued: a failure here leaves the original unacked for redelivery.
        await publisher.PublishAsync(_queue, mandatory: false, copy, delivery.Body, CancellationToken.None).ConfigureAwait(false);
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _abort.CancelAsync().ConfigureAwait(false);
        if (_channel is { } channel)
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }

            channel.Dispose();
        }

        _abort.Dispose();
        _idle.Dispose();
    }

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
}

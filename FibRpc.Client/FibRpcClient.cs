using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using FibRpc.Contract;
using FibRpc.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.Client;

/// <summary>
/// A client of the RPC service: publishes each request with reply_to and a fresh correlation id and completes the
/// matching call when the reply arrives. Many calls may be in flight at once on its one connection; replies with
/// an unknown correlation id (late, or duplicated by a retry) are dropped.
/// </summary>
public sealed class FibRpcClient : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ReadOnlyMemory<byte>>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private readonly FibRpcClientOptions _options;
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _idPrefix = Guid.NewGuid().ToString("N")[..12] + "-";
    private string _replyTo = RpcNames.DirectReplyTo;
    private long _nextId;
    private long _unmatched;

    private FibRpcClient(FibRpcClientOptions options, IConnection connection, IChannel channel)
    {
        _options = options;
        _connection = connection;
        _channel = channel;
    }

    /// <summary>Replies that matched no call in flight (timed out, cancelled, or duplicated).</summary>
    public long UnmatchedReplies => Interlocked.Read(ref _unmatched);

    public static async Task<FibRpcClient> ConnectAsync(FibRpcClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = await RabbitConnection.CreateFactory(options.Connection, options.ClientName, options.CaFile)
            .CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var client = new FibRpcClient(options, connection, channel);
            await client.StartAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.ReplyQueue == ReplyQueueMode.ExclusiveQueue)
        {
            var declared = await _channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            _replyTo = declared.QueueName;
        }

        _channel.BasicReturnAsync += OnReturnedAsync;
        _channel.ChannelShutdownAsync += OnShutdownAsync;
        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += OnReplyAsync;

        // Direct reply-to requires no-ack consumption on the channel that publishes the requests.
        await _channel.BasicConsumeAsync(_replyTo, autoAck: true, consumer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls the service for F(n) and returns its decimal text.</summary>
    /// <exception cref="FibRpcErrorException">The service answered with an error reply.</exception>
    /// <exception cref="TimeoutException">No reply within the timeout.</exception>
    public async Task<string> CallAsync(long n, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var reply = await CallRawAsync(Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture)), timeout, cancellationToken).ConfigureAwait(false);
        return Encoding.ASCII.GetString(reply.Span);
    }

    /// <summary>Sends any request body (also malformed ones) and returns the success reply's body.</summary>
    /// <exception cref="FibRpcErrorException">The service answered with an error reply.</exception>
    /// <exception cref="TimeoutException">No reply within the timeout.</exception>
    /// <exception cref="FibRpcUnroutableException">The request queue does not exist.</exception>
    public async Task<ReadOnlyMemory<byte>> CallRawAsync(ReadOnlyMemory<byte> body, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var correlationId = _idPrefix + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var reply = new TaskCompletionSource<ReadOnlyMemory<byte>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = reply;
        try
        {
            var properties = new BasicProperties { CorrelationId = correlationId, ReplyTo = _replyTo };
            await _publishGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Mandatory: if the request queue is missing the broker returns the request instead of dropping it.
                await _channel.BasicPublishAsync(string.Empty, _options.RequestQueue, mandatory: true, properties, body, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _publishGate.Release();
            }

            var limit = timeout ?? _options.Timeout;
            try
            {
                return await reply.Task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no reply to request {correlationId} on '{_options.RequestQueue}' within {limit.TotalSeconds:0.###} s: is the service running?");
            }
        }
        finally
        {
            _pending.TryRemove(correlationId, out _);
        }
    }

    private Task OnReplyAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var correlationId = delivery.BasicProperties.CorrelationId;
        if (correlationId is null || !_pending.TryRemove(correlationId, out var call))
        {
            Interlocked.Increment(ref _unmatched);
            return Task.CompletedTask;
        }

        if (delivery.BasicProperties.Type == RpcNames.ErrorReplyType)
        {
            var code = delivery.BasicProperties.Headers?.TryGetValue(RpcNames.ErrorCodeHeader, out var raw) == true
                ? raw switch { byte[] bytes => Encoding.UTF8.GetString(bytes), var other => other?.ToString() }
                : null;
            call.TrySetException(new FibRpcErrorException(code ?? "unknown", Encoding.UTF8.GetString(delivery.Body.Span)));
        }
        else
        {
            // The delivery's body is only valid during this callback.
            call.TrySetResult(delivery.Body.ToArray());
        }

        return Task.CompletedTask;
    }

    private Task OnReturnedAsync(object sender, BasicReturnEventArgs returned)
    {
        if (returned.BasicProperties.CorrelationId is { } id && _pending.TryRemove(id, out var call))
        {
            call.TrySetException(new FibRpcUnroutableException(returned.RoutingKey));
        }

        return Task.CompletedTask;
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs reason)
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var call))
            {
                call.TrySetException(new IOException($"the connection to the broker was closed: {reason.ReplyText}"));
            }
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _channel.CloseAsync().ConfigureAwait(false);
            await _connection.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException or OperationCanceledException)
        {
            // Already gone; nothing to release but the objects.
        }

        _channel.Dispose();
        _connection.Dispose();
        _publishGate.Dispose();
    }
}

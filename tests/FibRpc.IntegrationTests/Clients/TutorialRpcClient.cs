using System.Collections.Concurrent;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.IntegrationTests.Clients;

/// <summary>
/// A client of the classic RPC pattern as RabbitMQ's .NET tutorial six writes it with RabbitMQ.Client 7 (its
/// <c>RpcClient</c>): a plain connection, an exclusive queue that the server names (<c>amq.gen-*</c>), one consumer on
/// it, and a task per call completed by the reply with the matching correlation id. Nothing of FibRpc.Client or the
/// project's connection settings: it stands for a caller who knows only the queue name.
/// </summary>
public sealed class TutorialRpcClient(string uri, string requestQueue) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _callbackMapper = new();
    private IConnection? _connection;
    private IChannel? _channel;

    public string ReplyQueueName { get; private set; } = "";

    public async Task StartAsync()
    {
        _connection = await new ConnectionFactory { Uri = new Uri(uri) }.CreateConnectionAsync();
        _channel = await _connection.CreateChannelAsync();

        // No arguments: a server-named, exclusive, auto-delete queue.
        var declared = await _channel.QueueDeclareAsync();
        ReplyQueueName = declared.QueueName;

        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (delivery.BasicProperties.CorrelationId is { Length: > 0 } correlationId && _callbackMapper.TryRemove(correlationId, out var call))
            {
                call.TrySetResult(Encoding.UTF8.GetString(delivery.Body.Span));
            }

            return Task.CompletedTask;
        };
        await _channel.BasicConsumeAsync(ReplyQueueName, autoAck: true, consumer);
    }

    public async Task<string> CallAsync(string message, CancellationToken cancellationToken = default)
    {
        var channel = _channel ?? throw new InvalidOperationException("StartAsync first");
        var correlationId = Guid.NewGuid().ToString();
        var properties = new BasicProperties { CorrelationId = correlationId, ReplyTo = ReplyQueueName };
        var call = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _callbackMapper.TryAdd(correlationId, call);

        await channel.BasicPublishAsync(string.Empty, requestQueue, mandatory: true, properties, Encoding.UTF8.GetBytes(message), cancellationToken);

        await using var registration = cancellationToken.Register(() =>
        {
            _callbackMapper.TryRemove(correlationId, out _);
            call.TrySetCanceled(cancellationToken);
        });
        return await call.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.CloseAsync();
            _channel.Dispose();
        }

        if (_connection is not null)
        {
            await _connection.CloseAsync();
            _connection.Dispose();
        }
    }
}

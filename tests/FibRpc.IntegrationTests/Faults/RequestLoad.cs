using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.IntegrationTests.Faults;

/// <summary>
/// Steady load for the fault suite: persistent requests published one after another with publisher confirms, each
/// with its own correlation id and a durable reply queue (allowed by the service's prefix setting), and a consumer
/// that checks every reply against F(n). It keeps the books a fault is judged by: sent, confirmed by the broker,
/// answered, answered twice, wrong, and when each reply came.
/// </summary>
public sealed class RequestLoad : IAsyncDisposable
{
    private readonly string _queue;
    private readonly ConcurrentDictionary<string, (int N, TimeSpan PublishedAt)> _confirmed = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _answered = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private IConnection? _connection;
    private Task? _publishing;
    private long _sent;
    private long _duplicates;
    private long _wrong;

    private RequestLoad(string queue)
    {
        _queue = queue;
        ReplyQueue = Broker.NewQueueName("fault-replies");
    }

    public string ReplyQueue { get; }

    public TimeSpan Now => _clock.Elapsed;

    public long Sent => Interlocked.Read(ref _sent);

    public int Confirmed => _confirmed.Count;

    public int Answered => _answered.Count;

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Wrong => Interlocked.Read(ref _wrong);

    public static async Task<RequestLoad> StartAsync(string uri, string queue, TimeSpan pace)
    {
        var load = new RequestLoad(queue);
        load._connection = await RabbitConnection.CreateFactory(uri, "fault-load").CreateConnectionAsync();
        await using (var setup = await load._connection.CreateChannelAsync())
        {
            await setup.QueueDeclareAsync(load.ReplyQueue, durable: true, exclusive: false, autoDelete: false);
        }

        var replies = await load._connection.CreateChannelAsync();
        var consumer = new AsyncEventingBasicConsumer(replies);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            load.OnReply(delivery.BasicProperties.CorrelationId, Encoding.ASCII.GetString(delivery.Body.Span));
            return Task.CompletedTask;
        };
        await replies.BasicConsumeAsync(load.ReplyQueue, autoAck: true, consumer);
        load._publishing = Task.Run(() => load.PublishAsync(pace));
        return load;
    }

    private void OnReply(string? correlationId, string body)
    {
        if (correlationId is null)
        {
            return;
        }

        // A reply to a request whose confirm never arrived is answered all the same; only a confirmed one can be checked.
        if (_confirmed.TryGetValue(correlationId, out var request) && body != Reference.Fibonacci(request.N))
        {
            Interlocked.Increment(ref _wrong);
        }

        if (!_answered.TryAdd(correlationId, Now))
        {
            Interlocked.Increment(ref _duplicates);
        }
    }

    private async Task PublishAsync(TimeSpan pace)
    {
        IChannel? channel = null;
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var id = $"q{i}";
            var n = 10 + (i % 60);
            try
            {
                channel ??= await _connection!.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
                var properties = new BasicProperties { CorrelationId = id, ReplyTo = ReplyQueue, Persistent = true };
                var publishedAt = Now;
                Interlocked.Increment(ref _sent);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await channel.BasicPublishAsync(string.Empty, _queue, mandatory: true, properties, Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture)), timeout.Token);
                _confirmed[id] = (n, publishedAt);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Not confirmed: the broker may or may not have it. It is not counted as a request the broker took.
                if (channel is not null)
                {
                    await DisposeQuietlyAsync(channel);
                    channel = null;
                }

                await Task.Delay(100);
            }

            await Task.Delay(pace);
        }

        if (channel is not null)
        {
            await DisposeQuietlyAsync(channel);
        }
    }

    /// <summary>Stops publishing; replies still arrive.</summary>
    public async Task StopPublishingAsync()
    {
        await _stop.CancelAsync();
        await _publishing!;
    }

    /// <summary>Waits, bounded, until every confirmed request is answered; returns those that are not (the caller looks for them among the dead letters).</summary>
    public async Task<IReadOnlyList<string>> UnansweredAfterAsync(TimeSpan patience)
    {
        var deadline = Now + patience;
        while (Now < deadline)
        {
            if (_confirmed.Keys.All(_answered.ContainsKey))
            {
                return [];
            }

            await Task.Delay(100);
        }

        return [.. _confirmed.Keys.Where(id => !_answered.ContainsKey(id))];
    }

    /// <summary>How long after <paramref name="since"/> the first request published after it was answered.</summary>
    public TimeSpan? FirstAnswerAfter(TimeSpan since)
    {
        var answers = _confirmed.Where(request => request.Value.PublishedAt >= since && _answered.ContainsKey(request.Key))
            .Select(request => _answered[request.Key] - since)
            .ToList();
        return answers.Count == 0 ? null : answers.Min();
    }

    /// <summary>How long after <paramref name="since"/> the first answer to any request came.</summary>
    public TimeSpan? FirstAnswerReceivedAfter(TimeSpan since)
    {
        var answers = _answered.Values.Where(at => at >= since).ToList();
        return answers.Count == 0 ? null : answers.Min() - since;
    }

    private static async Task DisposeQuietlyAsync(IChannel channel)
    {
        try
        {
            await channel.DisposeAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A channel of a connection that went down: nothing to release.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopPublishingAsync();
        }

        if (_connection is not null)
        {
            try
            {
                await using (var cleanup = await _connection.CreateChannelAsync())
                {
                    await cleanup.QueueDeleteAsync(ReplyQueue);
                }

                await _connection.CloseAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The broker may be gone at the end of a failed test: the node is deleted with its data anyway.
            }

            _connection.Dispose();
        }

        _stop.Dispose();
    }
}

using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.Messaging;

/// <summary>
/// A confirm-mode channel that carries one publish at a time and tracks its outcome itself: the broker's ack or nack,
/// a basic.return before the ack (mandatory and unroutable), or the channel going down. RabbitMQ.Client's own
/// tracking is off, because it adds an <c>x-dotnet-pub-seq-no</c> header to every message (replies carry only what
/// the contract says) and does not reliably end a pending wait when the channel shuts down.
/// </summary>
internal sealed class ConfirmLane : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<bool>? _pending;
    private ulong _sequenceNumber;
    private bool _returned;

    private ConfirmLane(IChannel channel)
    {
        Channel = channel;
        channel.BasicAcksAsync += (_, ack) => Settle(ack.DeliveryTag, ack.Multiple, acked: true);
        channel.BasicNacksAsync += (_, nack) => Settle(nack.DeliveryTag, nack.Multiple, acked: false);
        channel.BasicReturnAsync += OnReturnAsync;
        channel.ChannelShutdownAsync += OnShutdownAsync;
    }

    private static readonly CreateChannelOptions ConfirmMode = new(
        publisherConfirmationsEnabled: true,
        publisherConfirmationTrackingEnabled: false);

    public IChannel Channel { get; }

    /// <summary>Why the channel went down, when it did.</summary>
    public ShutdownEventArgs? CloseReason { get; private set; }

    public bool IsUsable => Channel.IsOpen && CloseReason is null;

    public static async Task<ConfirmLane> OpenAsync(IConnection connection, CancellationToken cancellationToken) =>
        new(await connection.CreateChannelAsync(ConfirmMode, cancellationToken).ConfigureAwait(false));

    /// <summary>Publishes and returns the wait for the broker's verdict: true = acked, false = nacked.</summary>
    /// <returns>Whether the message was returned (unroutable) before it was acked, and the verdict.</returns>
    public async Task<(bool Acked, bool Returned)> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body,
        TimeSpan confirmTimeout, CancellationToken cancellationToken)
    {
        var sequenceNumber = await Channel.GetNextPublishSequenceNumberAsync(cancellationToken).ConfigureAwait(false);
        // Continuations run where the confirm is read (the connection's reader): the rest of the request (the ack of
        // the delivery) goes on at once instead of waiting for a thread-pool worker to be woken for it, a hand-off
        // that cost CPU on every request (docs/benchmarks.md, "CPU per request"). Nothing on that path blocks a
        // thread; the verdict is set outside the lock so no continuation runs while it is held.
        var verdict = new TaskCompletionSource<bool>();
        lock (_gate)
        {
            _sequenceNumber = sequenceNumber;
            _returned = false;
            _pending = verdict;
            if (CloseReason is { } closed)
            {
                verdict.TrySetException(new ChannelClosedException(closed));
            }
        }

        await Channel.BasicPublishAsync(string.Empty, queue, mandatory, properties, body, cancellationToken).ConfigureAwait(false);
        var acked = await verdict.Task.WaitAsync(confirmTimeout, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _pending = null;
            return (acked, _returned);
        }
    }

    private Task Settle(ulong deliveryTag, bool multiple, bool acked)
    {
        TaskCompletionSource<bool>? settled = null;
        lock (_gate)
        {
            if (_pending is { } pending && (deliveryTag == _sequenceNumber || (multiple && deliveryTag >= _sequenceNumber)))
            {
                settled = pending;
            }
        }

        settled?.TrySetResult(acked);
        return Task.CompletedTask;
    }

    private Task OnReturnAsync(object sender, BasicReturnEventArgs returned)
    {
        // One publish in flight: a return on this channel is that publish's, and it precedes the ack.
        lock (_gate)
        {
            _returned = true;
        }

        return Task.CompletedTask;
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs reason)
    {
        TaskCompletionSource<bool>? pending;
        lock (_gate)
        {
            CloseReason = reason;
            pending = _pending;
        }

        // Unlike a confirm, a shutdown is reported from inside the connection's own close handling: the publisher's
        // clean-up (closing and disposing this lane) must not run there, so it goes to the thread pool.
        if (pending is not null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Pending.TrySetException(new ChannelClosedException(state.Reason)), (Pending: pending, Reason: reason), preferLocal: false);
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Channel.IsOpen)
            {
                await Channel.CloseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException
            or ObjectDisposedException or IOException or OperationCanceledException or TimeoutException)
        {
            // The channel is broken already; nothing more to release than the object.
        }

        Channel.Dispose();
    }

    /// <summary>The channel went down while a publish waited for its confirm.</summary>
    internal sealed class ChannelClosedException(ShutdownEventArgs reason) : Exception($"the channel closed: {reason.ReplyCode} {reason.ReplyText}")
    {
        public ShutdownEventArgs Reason { get; } = reason;
    }
}

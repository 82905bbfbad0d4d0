using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Client;

/// <summary>
/// One channel that publishes requests and consumes their replies (direct reply-to needs both on one channel), with
/// the address that goes into <c>reply_to</c>. A path retired (broken, or nacked on) takes no new calls, and its
/// channel is closed once the calls still waiting on it are done, so that replies already on their way are not lost.
/// </summary>
internal sealed class ReplyPath(IChannel channel, string address, long number, Action<ReplyPath> onClosed)
{
    private string? _lostReason;
    private int _inFlight;
    private int _retired;
    private int _closing;

    public IChannel Channel { get; } = channel;

    /// <summary>What requests on this path put in <c>reply_to</c>.</summary>
    public string Address { get; } = address;

    /// <summary>1 for the first path of a client, then counting up: for logs.</summary>
    public long Number { get; } = number;

    /// <summary>Takes new calls: not retired, and its channel open.</summary>
    public bool IsLive => Volatile.Read(ref _retired) == 0 && Channel.IsOpen;

    /// <summary>Why the path broke, or null while it can still receive replies (also when only retired).</summary>
    public string? LostReason => Volatile.Read(ref _lostReason);

    /// <summary>Whether the client is closing the channel itself (so its shutdown is no loss to report).</summary>
    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Records that replies can no longer arrive here; the first reason wins.</summary>
    public void MarkLost(string reason) => Interlocked.CompareExchange(ref _lostReason, reason, null);

    /// <summary>Registers a call on this path; false when the path was retired meanwhile.</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _retired) == 0)
        {
            return true;
        }

        Leave();
        return false;
    }

    /// <summary>A call registered by <see cref="TryEnter"/> is done with this path.</summary>
    public void Leave()
    {
        Interlocked.Decrement(ref _inFlight);
        CloseIfDrained();
    }

    /// <summary>No new calls from now on; true for the caller that retired it (the others find it retired).</summary>
    public bool Retire()
    {
        var first = Interlocked.Exchange(ref _retired, 1) == 0;
        CloseIfDrained();
        return first;
    }

    /// <summary>Closes the channel now, whatever is in flight (the client is being disposed).</summary>
    public Task CloseNowAsync()
    {
        Interlocked.Exchange(ref _retired, 1);
        return Interlocked.Exchange(ref _closing, 1) == 0 ? CloseQuietlyAsync() : Task.CompletedTask;
    }

    // Retire and Leave each write their own field before reading the other's, so whichever comes last sees both.
    private void CloseIfDrained()
    {
        if (Volatile.Read(ref _retired) != 0 && Volatile.Read(ref _inFlight) == 0 && Interlocked.Exchange(ref _closing, 1) == 0)
        {
            // In the background: the caller that drained the path must not wait for the broker's close-ok.
            _ = Task.Run(CloseQuietlyAsync);
        }
    }

    private async Task CloseQuietlyAsync()
    {
        try
        {
            // Close even when the connection is down: it also stops automatic recovery from reopening the channel.
            await Channel.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or ObjectDisposedException or TimeoutException or OperationCanceledException)
        {
            // Broken already; nothing more to release but the object.
        }

        try
        {
            Channel.Dispose();
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or ObjectDisposedException or TimeoutException)
        {
            // As above.
        }

        onClosed(this);
    }
}

using FibRpc.Messaging;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Service.Replies;

/// <summary>What the broker says of a reply queue that is allowed neither by its form nor by the configuration.</summary>
public enum ReplyQueueKind
{
    /// <summary>Exclusive to another connection (a passive declare gets 405 RESOURCE_LOCKED): the caller's own private queue.</summary>
    ExclusiveToCaller,

    /// <summary>Any connection may consume it: a shared queue, possibly another application's.</summary>
    Shared,

    /// <summary>No queue of that name exists (404).</summary>
    Missing,
}

/// <summary>
/// Asks the broker what kind of queue a <c>reply_to</c> names, by a passive declare on the reply connection, and
/// remembers the verdict for a while, so that a client's queue is checked once, not once a request. A failed passive
/// declare closes its channel, so the next inspection opens a fresh one.
/// </summary>
public sealed partial class ReplyQueueInspector(RabbitConnection connection, TimeProvider clock, ILogger<ReplyQueueInspector> logger) : IAsyncDisposable
{
    /// <summary>Verdicts remembered at most; past that the oldest half is forgotten.</summary>
    internal const int Capacity = 4096;

    /// <summary>
    /// How long a verdict holds. An exclusive queue stays its owner's until it is deleted (and generated names are not
    /// reused); a shared queue may be deleted and its name taken by a client's exclusive queue, so it is asked again.
    /// </summary>
    internal static readonly TimeSpan ExclusiveLifetime = TimeSpan.FromMinutes(10);

    internal static readonly TimeSpan SharedLifetime = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (ReplyQueueKind Kind, DateTimeOffset Until)> _verdicts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    /// <summary>Passive declares made so far (cache misses), for tests.</summary>
    public long Inspections { get; private set; }

    /// <exception cref="PublishFailedException">The broker could not be asked (connection lost): a transient failure.</exception>
    public async ValueTask<ReplyQueueKind> InspectAsync(string queue, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = clock.GetUtcNow();
            if (_verdicts.TryGetValue(queue, out var known) && known.Until > now)
            {
                return known.Kind;
            }

            var kind = await AskAsync(queue, cancellationToken).ConfigureAwait(false);
            if (kind != ReplyQueueKind.Missing)
            {
                Remember(queue, kind, now + (kind == ReplyQueueKind.ExclusiveToCaller ? ExclusiveLifetime : SharedLifetime));
            }

            return kind;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ReplyQueueKind> AskAsync(string queue, CancellationToken cancellationToken)
    {
        Inspections++;
        try
        {
            if (_channel is not { IsOpen: true })
            {
                _channel?.Dispose();
                var open = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
                _channel = await open.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await _channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false);
            return ReplyQueueKind.Shared;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.ResourceLocked)
        {
            return ReplyQueueKind.ExclusiveToCaller;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return ReplyQueueKind.Missing;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.AccessRefused)
        {
            // Without configure permission on the name the broker tells nothing: refuse rather than guess.
            LogNotPermitted(logger, queue, e.ShutdownReason.ReplyText);
            return ReplyQueueKind.Shared;
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException or IOException or ObjectDisposedException)
        {
            throw new PublishFailedException(PublishFailure.ConnectionLost, $"could not ask the broker about reply queue '{queue}': {e.Message}", e);
        }
    }

    private void Remember(string queue, ReplyQueueKind kind, DateTimeOffset until)
    {
        if (_verdicts.Count >= Capacity)
        {
            foreach (var stale in _verdicts.OrderBy(entry => entry.Value.Until).Take(Capacity / 2).Select(entry => entry.Key).ToList())
            {
                _verdicts.Remove(stale);
            }
        }

        _verdicts[queue] = (kind, until);
    }

    public ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker does not let this service inspect reply queue '{Queue}' ({Reason}): treated as a shared queue")]
    private static partial void LogNotPermitted(ILogger logger, string queue, string reason);
}

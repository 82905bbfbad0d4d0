namespace FibRpc.Engine;

/// <summary>
/// A thread-safe, least-recently-used cache of replies in front of another engine, bounded by the total bytes of
/// the cached replies. Large n costs milliseconds to seconds and its reply is immutable, so hot requests are served
/// from memory; concurrent requests for the same uncached n wait for one computation instead of repeating it.
/// A capacity of 0 disables caching; a reply larger than the capacity is returned but not cached.
/// </summary>
public sealed class CachingFibonacciEngine : IFibonacciEngine
{
    private readonly IFibonacciEngine inner;
    private readonly long capacityBytes;
    private readonly int uncachedUpTo;
    private readonly Lock gate = new();
    private readonly Dictionary<int, LinkedListNode<Entry>> entries = [];
    private readonly LinkedList<Entry> recency = new(); // most recently used first
    private readonly Dictionary<int, TaskCompletionSource<ReadOnlyMemory<byte>>> inFlight = [];
    private long cachedBytes;

    /// <param name="inner">The engine whose replies are cached.</param>
    /// <param name="capacityBytes">Total bytes of cached replies; 0 disables the cache.</param>
    /// <param name="uncachedUpTo">
    /// n at or below this go straight to the inner engine: where it answers from a table (n &lt;= 93 for
    /// <see cref="FibonacciEngine"/>), the cache's lock would cost more than it saves. -1 caches every n.
    /// </param>
    public CachingFibonacciEngine(IFibonacciEngine inner, long capacityBytes, int uncachedUpTo = -1)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        this.inner = inner;
        this.capacityBytes = capacityBytes;
        this.uncachedUpTo = uncachedUpTo;
    }

    /// <summary>Total bytes of the replies currently cached (never above the capacity).</summary>
    public long CachedBytes
    {
        get
        {
            lock (gate)
            {
                return cachedBytes;
            }
        }
    }

    /// <summary>Number of replies currently cached.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (capacityBytes == 0 || n <= uncachedUpTo)
        {
            return inner.ComputeDecimal(n, cancellationToken);
        }

        while (true)
        {
            TaskCompletionSource<ReadOnlyMemory<byte>>? pending;
            TaskCompletionSource<ReadOnlyMemory<byte>>? ours = null;
            lock (gate)
            {
                if (entries.TryGetValue(n, out var node))
                {
                    recency.Remove(node);
                    recency.AddFirst(node);
                    return node.Value.Reply;
                }

                if (!inFlight.TryGetValue(n, out pending))
                {
                    ours = new TaskCompletionSource<ReadOnlyMemory<byte>>(TaskCreationOptions.RunContinuationsAsynchronously);
                    inFlight[n] = ours;
                }
            }

            if (ours is not null)
            {
                return ComputeAndPublish(n, ours, cancellationToken);
            }

            try
            {
                return pending!.Task.WaitAsync(cancellationToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The caller that was computing this n was cancelled, not us: try again (possibly computing it).
            }
        }
    }

    /// <summary>Computes n for everyone waiting on <paramref name="pending"/>, then caches and publishes it.</summary>
    private ReadOnlyMemory<byte> ComputeAndPublish(
        int n, TaskCompletionSource<ReadOnlyMemory<byte>> pending, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> reply;
        try
        {
            reply = inner.ComputeDecimal(n, cancellationToken);
        }
        catch (Exception e)
        {
            lock (gate)
            {
                inFlight.Remove(n);
            }

            if (e is OperationCanceledException)
            {
                pending.SetCanceled(CancellationToken.None);
            }
            else
            {
                pending.SetException(e);
            }

            throw;
        }

        lock (gate)
        {
            inFlight.Remove(n);
            Store(n, reply);
        }

        pending.SetResult(reply);
        return reply;
    }

    /// <summary>Adds a reply, evicting the least recently used ones to stay within the capacity. Caller holds the lock.</summary>
    private void Store(int n, ReadOnlyMemory<byte> reply)
    {
        if (reply.Length > capacityBytes || entries.ContainsKey(n))
        {
            return;
        }

        while (cachedBytes + reply.Length > capacityBytes)
        {
            var oldest = recency.Last!;
            recency.RemoveLast();
            entries.Remove(oldest.Value.N);
            cachedBytes -= oldest.Value.Reply.Length;
        }

        entries[n] = recency.AddFirst(new Entry(n, reply));
        cachedBytes += reply.Length;
    }

    private readonly record struct Entry(int N, ReadOnlyMemory<byte> Reply);
}

namespace FibRpc.Engine;

/// <summary>
/// A thread-safe, least-recently-used cache of replies in front of another engine, bounded by the total bytes of
/// the cached replies. A large n costs milliseconds and its reply is immutable, so a repeated large n is served from
/// memory. The lock is held only to look up and to store, never while computing: at prefetch 1 a worker has one
/// caller at a time, and where there are several, two callers of the same uncached n both compute it rather than
/// one waiting on the other. A capacity of 0 disables caching; a reply larger than the capacity is returned but
/// not cached.
/// </summary>
public sealed class CachingFibonacciEngine : IFibonacciEngine
{
    private readonly IFibonacciEngine inner;
    private readonly long capacityBytes;
    private readonly int uncachedUpTo;
    private readonly Lock gate = new();
    private readonly Dictionary<int, LinkedListNode<Entry>> entries = [];
    private readonly LinkedList<Entry> recency = new(); // most recently used first
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

        lock (gate)
        {
            if (entries.TryGetValue(n, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                return node.Value.Reply;
            }
        }

        var reply = inner.ComputeDecimal(n, cancellationToken);
        lock (gate)
        {
            Store(n, reply);
        }

        return reply;
    }

    /// <summary>Adds a reply, evicting the least recently used ones to stay within the capacity. Caller holds the lock.</summary>
    private void Store(int n, ReadOnlyMemory<byte> reply)
    {
        // Another caller may have stored the same n while this one computed: the first copy stays.
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

namespace FibRpc.Engine;

/// <summary>
/// A thread-safe LRU cache of replies in front of another engine, bounded by their total bytes: a large n costs
/// milliseconds and its reply is immutable. The lock is held only to look up and to store, never while computing (at
/// prefetch 1 a worker has one caller at a time), so two callers of the same uncached n both compute it. A capacity
/// of 0 disables caching; a reply larger than the capacity is returned but not cached. n up to
/// <c>uncachedUpTo</c> (-1: none) skip the cache: where the inner engine answers from a table (n &lt;= 93 for
/// <see cref="FibonacciEngine"/>), the lock would cost more than it saves.
/// </summary>
public sealed class CachingFibonacciEngine : IFibonacciEngine
{
    private readonly IFibonacciEngine _inner;
    private readonly long _capacityBytes;
    private readonly int _uncachedUpTo;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private long _cachedBytes;

    public CachingFibonacciEngine(IFibonacciEngine inner, long capacityBytes, int uncachedUpTo = -1)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        _inner = inner;
        _capacityBytes = capacityBytes;
        _uncachedUpTo = uncachedUpTo;
    }

    /// <summary>Total bytes of the replies currently cached (never above the capacity).</summary>
    public long CachedBytes
    {
        get
        {
            lock (_gate)
            {
                return _cachedBytes;
            }
        }
    }

    /// <summary>Number of replies currently cached.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (_capacityBytes == 0 || n <= _uncachedUpTo)
        {
            return _inner.ComputeDecimal(n, cancellationToken);
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(n, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Reply;
            }
        }

        var reply = _inner.ComputeDecimal(n, cancellationToken);
        lock (_gate)
        {
            Store(n, reply);
        }

        return reply;
    }

    /// <summary>Adds a reply, evicting the least recently used ones to stay within the capacity. Caller holds the lock.</summary>
    private void Store(int n, ReadOnlyMemory<byte> reply)
    {
        // Another caller may have stored the same n while this one computed: the first copy stays.
        if (reply.Length > _capacityBytes || _entries.ContainsKey(n))
        {
            return;
        }

        while (_cachedBytes + reply.Length > _capacityBytes)
        {
            var oldest = _recency.Last!;
            _recency.RemoveLast();
            _entries.Remove(oldest.Value.N);
            _cachedBytes -= oldest.Value.Reply.Length;
        }

        _entries[n] = _recency.AddFirst(new Entry(n, reply));
        _cachedBytes += reply.Length;
    }

    private readonly record struct Entry(int N, ReadOnlyMemory<byte> Reply);
}

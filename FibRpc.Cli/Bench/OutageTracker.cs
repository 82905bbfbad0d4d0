using System.Diagnostics;

namespace FibRpc.Cli.Bench;

/// <summary>
/// A stretch of a phase in which calls failed for want of the broker: from the first call that lost its connection
/// or reply path to the next call that got its reply.
/// </summary>
/// <param name="StartSeconds">When the first call failed, in seconds since the phase began.</param>
/// <param name="DurationSeconds">Until the next reply; null when the phase ended first.</param>
/// <param name="LostRequests">Calls that failed in it (lost reply, no connection, timeout, nack): their requests got no answer.</param>
/// <param name="RetriedRequests">Requests the client published again in it: after a lost connection or reply path (the call went on), or on a fresh channel after a nack.</param>
public sealed record Outage(double StartSeconds, double? DurationSeconds, long LostRequests, long RetriedRequests);

/// <summary>
/// Finds the outages of a phase from its calls' outcomes alone: a call that lost its connection or reply path opens
/// one (the client fails or re-sends such calls at once), the next reply closes it. The success path costs one
/// volatile read while no outage is open.
/// </summary>
public sealed class OutageTracker(long phaseStarted, Func<long> retriesSoFar)
{
    private readonly Lock _lock = new();
    private readonly List<Outage> _closed = [];
    private volatile OpenOutage? _open;

    /// <summary>The outages so far, the one still open (if any) last with no duration.</summary>
    public IReadOnlyList<Outage> Outages
    {
        get
        {
            lock (_lock)
            {
                return _open is { } open ? [.. _closed, open.ToOutage(phaseStarted, end: null, retriesSoFar())] : [.. _closed];
            }
        }
    }

    public bool IsOpen => _open is not null;

    /// <summary>
    /// A call lost its connection or reply path: the broker went away. It is lost when it <paramref name="failed"/>;
    /// otherwise it is being sent again, and nothing is lost yet.
    /// </summary>
    public void ConnectionLost(long timestamp, bool failed)
    {
        lock (_lock)
        {
            _open ??= new OpenOutage(timestamp, retriesSoFar());
            _open.Lost += failed ? 1 : 0;
        }
    }

    /// <summary>A call failed otherwise (timeout, nack): part of the outage's toll if one is open.</summary>
    public void OtherFailure()
    {
        if (_open is null)
        {
            return;
        }

        lock (_lock)
        {
            if (_open is { } open)
            {
                open.Lost++;
            }
        }
    }

    public void Reply(long timestamp)
    {
        if (_open is null)
        {
            return;
        }

        lock (_lock)
        {
            if (_open is { } open)
            {
                _closed.Add(open.ToOutage(phaseStarted, timestamp, retriesSoFar()));
                _open = null;
            }
        }
    }

    private sealed class OpenOutage(long started, long retriesAtStart)
    {
        public long Lost { get; set; }

        public Outage ToOutage(long phaseStarted, long? end, long retriesNow) => new(
            Math.Round(Stopwatch.GetElapsedTime(phaseStarted, started).TotalSeconds, 3),
            end is { } at ? Math.Round(Stopwatch.GetElapsedTime(started, at).TotalSeconds, 3) : null,
            Lost,
            retriesNow - retriesAtStart);
    }
}

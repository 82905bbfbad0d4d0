using System.Diagnostics;

namespace FibRpc.Cli.Bench;

/// <summary>The live counters of one phase (warm-up or measured), read by the progress display while workers write.</summary>
public sealed class PhaseTally
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly long[] _failures = new long[Enum.GetValues<FailureKind>().Length];
    private readonly Func<long> _retriesSoFar;
    private readonly long _retriesAtStart;
    private long _sent;
    private long _correct;
    private long _wrong;
    private long _errors;
    private long _resent;
    private long _retriesAtEnd = -1;
    private long _finished;

    /// <param name="name">Shown by the progress display.</param>
    /// <param name="requestLimit">Requests the phase may send.</param>
    /// <param name="timeLimit">How long the phase may last.</param>
    /// <param name="retriesSoFar">The client's count of requests published again, for the outages.</param>
    public PhaseTally(string name, long requestLimit, TimeSpan timeLimit, Func<long>? retriesSoFar = null)
    {
        Name = name;
        RequestLimit = requestLimit;
        TimeLimit = timeLimit;
        _retriesSoFar = retriesSoFar ?? (static () => 0);
        _retriesAtStart = _retriesSoFar();
        Outages = new OutageTracker(_started, _retriesSoFar);
    }

    public string Name { get; }

    public long RequestLimit { get; }

    public TimeSpan TimeLimit { get; }

    /// <summary>When the broker went away during the phase, for how long, and what it cost.</summary>
    public OutageTracker Outages { get; }

    public LatencyHistogram Latency { get; } = new();

    public long Sent => Interlocked.Read(ref _sent);

    public long Correct => Interlocked.Read(ref _correct);

    public long WrongAnswers => Interlocked.Read(ref _wrong);

    public long ErrorReplies => Interlocked.Read(ref _errors);

    public long Timeouts => Failures(FailureKind.Timeout);

    public long Failures(FailureKind kind) => Interlocked.Read(ref _failures[(int)kind]);

    public long AllFailures => Enum.GetValues<FailureKind>().Sum(Failures);

    public long Replies => Correct + WrongAnswers + ErrorReplies;

    /// <summary>Time since the phase began, frozen when it ends.</summary>
    public TimeSpan Elapsed => Interlocked.Read(ref _finished) is var finished and > 0
        ? Stopwatch.GetElapsedTime(_started, finished)
        : Stopwatch.GetElapsedTime(_started);

    /// <summary>Share of the phase done, by count or by time, whichever is further along.</summary>
    public double Progress => Math.Clamp(Math.Max(
        RequestLimit > 0 ? (double)Sent / RequestLimit : 0,
        TimeLimit > TimeSpan.Zero ? Elapsed / TimeLimit : 0), 0, 1);

    /// <summary>Takes one request from the budget; false once the count or the time is used up.</summary>
    public bool TryStartRequest()
    {
        if (Stopwatch.GetElapsedTime(_started) >= TimeLimit)
        {
            return false;
        }

        if (Interlocked.Increment(ref _sent) > RequestLimit)
        {
            Interlocked.Decrement(ref _sent);
            return false;
        }

        return true;
    }

    public void RecordCorrect(TimeSpan latency) => RecordReply(ref _correct, latency);

    public void RecordWrong(TimeSpan latency) => RecordReply(ref _wrong, latency);

    public void RecordError(TimeSpan latency) => RecordReply(ref _errors, latency);

    /// <summary>A call got no reply; a lost connection or reply path opens an outage if none is open.</summary>
    public void RecordFailure(FailureKind kind)
    {
        Interlocked.Increment(ref _failures[(int)kind]);
        if (kind is FailureKind.ReplyLost or FailureKind.ConnectionLost)
        {
            Outages.ConnectionLost(Stopwatch.GetTimestamp(), failed: true);
        }
        else
        {
            Outages.OtherFailure();
        }
    }

    /// <summary>A call lost its connection or reply path and the client sends it again: counted as re-sent, not lost.</summary>
    public void RecordResent()
    {
        Interlocked.Increment(ref _resent);
        Outages.ConnectionLost(Stopwatch.GetTimestamp(), failed: false);
    }

    public long Resent => Interlocked.Read(ref _resent);

    /// <summary>Requests the client published again during the phase: after a nack, or after a lost connection.</summary>
    public long RetriedPublishes => (Interlocked.Read(ref _retriesAtEnd) is var end and >= 0 ? end : _retriesSoFar()) - _retriesAtStart;

    public void Finish()
    {
        if (Interlocked.CompareExchange(ref _finished, Stopwatch.GetTimestamp(), 0) == 0)
        {
            Interlocked.Exchange(ref _retriesAtEnd, _retriesSoFar());
        }
    }

    private void RecordReply(ref long counter, TimeSpan latency)
    {
        Latency.Record(latency);
        Interlocked.Increment(ref counter);
        Outages.Reply(Stopwatch.GetTimestamp());
    }
}

/// <summary>Why a call got no reply, as the RPC client tells it apart (the fields of <see cref="BenchResult"/> say more).</summary>
public enum FailureKind
{
    Timeout,
    ReplyLost,
    ConnectionLost,
    Nacked,
    Overloaded,
}

using System.Diagnostics;

namespace FibRpc.Cli.Bench;

/// <summary>The live counters of one phase (warm-up or measured), read by the progress display while workers write.</summary>
public sealed class PhaseTally(string name, long requestLimit, TimeSpan timeLimit)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _sent;
    private long _correct;
    private long _wrong;
    private long _errors;
    private long _timeouts;
    private long _finished;

    public string Name { get; } = name;

    public long RequestLimit { get; } = requestLimit;

    public TimeSpan TimeLimit { get; } = timeLimit;

    public LatencyHistogram Latency { get; } = new();

    public long Sent => Interlocked.Read(ref _sent);

    public long Correct => Interlocked.Read(ref _correct);

    public long WrongAnswers => Interlocked.Read(ref _wrong);

    public long ErrorReplies => Interlocked.Read(ref _errors);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Every reply that arrived, right, wrong or an error reply: what the service answered.</summary>
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

    public void RecordCorrect(TimeSpan latency)
    {
        Latency.Record(latency);
        Interlocked.Increment(ref _correct);
    }

    public void RecordWrong(TimeSpan latency)
    {
        Latency.Record(latency);
        Interlocked.Increment(ref _wrong);
    }

    public void RecordError(TimeSpan latency)
    {
        Latency.Record(latency);
        Interlocked.Increment(ref _errors);
    }

    public void RecordTimeout() => Interlocked.Increment(ref _timeouts);

    public void Finish() => Interlocked.CompareExchange(ref _finished, Stopwatch.GetTimestamp(), 0);
}

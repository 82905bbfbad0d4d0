using System.Diagnostics;

namespace FibRpc.IntegrationTests.Recovery;

/// <summary>One call made under a fault: when it started and ended (stopwatch ticks) and how it failed, if it did.</summary>
public sealed record CallRecord(long Started, long Ended, Exception? Failure)
{
    public TimeSpan Duration => Stopwatch.GetElapsedTime(Started, Ended);

    public bool Succeeded => Failure is null;
}

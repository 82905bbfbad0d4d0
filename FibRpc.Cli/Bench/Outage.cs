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

namespace FibRpc.Service.Handling;

/// <summary>
/// What a host does with a delivery once the service has decided about it. The service decides; each host's adapter
/// carries it out in the way that host can (see docs/reliability.md, "Outcomes").
/// </summary>
public enum Disposition
{
    /// <summary>Done with: ack it.</summary>
    Ack,

    /// <summary>Try again later: a copy with the attempt counted goes back to the queue (or the Functions host's own retry).</summary>
    Retry,

    /// <summary>Give up: into the dead-letter queue, where an operator can look at it and replay it.</summary>
    DeadLetter,
}

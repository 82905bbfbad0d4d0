namespace FibRpc.Service.Replies;

/// <summary>
/// Whether the service can publish replies, as the last publish showed: the health signal of a deployment fault
/// (no permission to publish, a missing exchange or virtual host), which no single request is to blame for. A host
/// shows it where it can (<c>fibrpc serve</c>'s readiness); the log line and the metric say it everywhere.
/// </summary>
public sealed class ReplyHealth(TimeProvider clock)
{
    private volatile Fault? _fault;

    /// <summary>Why the last reply could not be published for a fault of the deployment; null while replies go out.</summary>
    public string? DeploymentFault => _fault?.Reason;

    /// <summary>When that fault was last seen.</summary>
    public DateTimeOffset? DeploymentFaultSince => _fault?.Since;

    internal void Published() => _fault = null;

    internal void Forbidden(string reason) => _fault = new Fault(reason, _fault?.Since ?? clock.GetUtcNow());

    private sealed record Fault(string Reason, DateTimeOffset Since);
}

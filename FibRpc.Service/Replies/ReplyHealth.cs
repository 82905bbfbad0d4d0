namespace FibRpc.Service.Replies;

/// <summary>
/// Whether the service can publish replies, as the last publish showed: the health signal of a deployment fault
/// (no permission to publish, a missing exchange or virtual host), which no single request is to blame for. A host
/// shows it where it can (<c>fibrpc serve</c>'s readiness); the log line and the metric say it everywhere.
/// </summary>
public sealed class ReplyHealth
{
    private volatile string? _fault;

    /// <summary>Why the last reply could not be published for a fault of the deployment; null while replies go out.</summary>
    public string? DeploymentFault => _fault;

    internal void Published() => _fault = null;

    internal void Forbidden(string reason) => _fault = reason;
}

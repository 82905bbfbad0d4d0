namespace FibRpc.Topology.Management;

/// <summary>A call to the management API failed; the message says why and what to do, and never holds a password.</summary>
public sealed class ManagementApiException(ManagementFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ManagementFailure Failure { get; } = failure;
}

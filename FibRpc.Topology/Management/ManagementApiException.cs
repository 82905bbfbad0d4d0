namespace FibRpc.Topology.Management;

/// <summary>A call to the management API failed; the message says why and what to do, and never holds a password.</summary>
public sealed class ManagementApiException(ManagementFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ManagementFailure Failure { get; } = failure;
}

/// <summary>Why a call to the management API failed, each with its own remedy.</summary>
public enum ManagementFailure
{
    /// <summary>Nothing listens at the URL: the management plugin is not enabled, or it listens elsewhere.</summary>
    Unreachable,

    /// <summary>401 or 403: a wrong password, or a user without the policymaker tag or without access to the virtual host.</summary>
    NotAuthorised,

    /// <summary>404: the virtual host does not exist.</summary>
    NotFound,

    /// <summary>The API answered, but not in a way this understands (400 for a policy it refuses, 5xx, a timeout, TLS).</summary>
    Other,

    /// <summary>The policy was set but the queue does not follow it (a policy of higher priority wins, or the queue is missing).</summary>
    NotInEffect,
}

namespace FibRpc.Topology.Management;

/// <summary>Why a call to the management API failed, each with its own remedy.</summary>
public enum ManagementFailure
{
    /// <summary>Nothing listens at the URL: the management plugin is not enabled, or it listens elsewhere.</summary>
    Unreachable,

    /// <summary>401: a wrong password, or a user without the policymaker (or administrator) tag or without access to the virtual host.</summary>
    NotAuthorised,

    /// <summary>404: the virtual host, or the queue being checked, does not exist.</summary>
    NotFound,

    /// <summary>The API answered, but not in a way this understands (400 for a policy it refuses, 5xx, a timeout, TLS).</summary>
    Other,

    /// <summary>The policy was set but the queue does not follow it (a policy of higher priority wins, or the queue is missing).</summary>
    NotInEffect,
}

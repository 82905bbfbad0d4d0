namespace FibRpc.Messaging;

/// <summary>The names a process gives its broker connections, so that an operator can tell the consuming one from the publishing one.</summary>
public static class ConnectionNames
{
    /// <summary>The application name the service's connections carry, under both hosts (with the machine name and their role).</summary>
    public const string Service = "fibrpc";

    /// <summary>The connection a service publishes replies on.</summary>
    public static string Publisher(string application) => $"{application}-{Environment.MachineName}-publish";

    /// <summary>The connection a local trigger host consumes requests on.</summary>
    public static string Consumer(string application) => $"{application}-{Environment.MachineName}-consume";
}

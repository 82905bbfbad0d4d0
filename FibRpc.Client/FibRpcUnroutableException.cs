namespace FibRpc.Client;

/// <summary>The broker returned the request unrouted: no queue of that name exists, so calling again fails the same way until it does.</summary>
public sealed class FibRpcUnroutableException : FibRpcException
{
    internal FibRpcUnroutableException(string queue)
        : base($"the broker has no queue '{queue}' to route the request to: declare the topology (fibrpc topology) and start the service")
    {
        Queue = queue;
    }

    /// <summary>The request queue.</summary>
    public string Queue { get; }
}

namespace FibRpc.Client;

/// <summary>The broker returned the request: no queue of that name exists (is the topology declared?).</summary>
public sealed class FibRpcUnroutableException(string queue)
    : Exception($"the broker has no queue '{queue}' to route the request to: declare the topology (fibrpc topology) and start the service")
{
    public string Queue { get; } = queue;
}

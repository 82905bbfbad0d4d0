namespace FibRpc.Topology;

/// <summary>The broker holds a queue or exchange of the same name with different settings.</summary>
public sealed class TopologyConflictException(string message, Exception inner) : Exception(message, inner);

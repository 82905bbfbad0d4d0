namespace FibRpc.Topology;

/// <summary>
/// A broker user a deployment needs, with RabbitMQ's three permission patterns on the virtual host (regular
/// expressions over resource names: <c>configure</c> to declare or delete, <c>write</c> to publish to an exchange or
/// bind a queue, <c>read</c> to consume or get from a queue, or read an exchange when binding from it). "^$" grants
/// nothing.
/// </summary>
public sealed record BrokerRole(string User, string Purpose, string Configure, string Write, string Read)
{
    /// <summary>User tags the job needs: they grant the management HTTP API's powers (policymaker), nothing over AMQP.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}

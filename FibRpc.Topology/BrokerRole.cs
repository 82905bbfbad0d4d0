namespace FibRpc.Topology;

/// <summary>
/// A broker user a deployment needs, with RabbitMQ's three permission patterns on the virtual host (regular
/// expressions over resource names: <c>configure</c> to declare or delete, <c>write</c> to publish to an exchange or
/// bind a queue, <c>read</c> to consume or get from a queue, or read an exchange when binding from it). "^$" grants
/// nothing. <see cref="Tags"/> are the user tags the job needs on top (none for most).
/// </summary>
/// <param name="User">The user name the deployment files use.</param>
/// <param name="Purpose">What the user is for, in a few words.</param>
/// <param name="Configure">Resources the user may declare and delete.</param>
/// <param name="Write">Exchanges the user may publish to, queues it may bind.</param>
/// <param name="Read">Queues the user may consume from.</param>
public sealed record BrokerRole(string User, string Purpose, string Configure, string Write, string Read)
{
    /// <summary>
    /// RabbitMQ user tags: they grant the management HTTP API's powers (policymaker: set policies in the virtual
    /// hosts the user has a permission on), nothing over AMQP.
    /// </summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}

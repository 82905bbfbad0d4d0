using System.Text.RegularExpressions;
using FibRpc.Contract;

namespace FibRpc.Topology;

/// <summary>
/// The users a deployment needs, each with the narrowest permissions RabbitMQ can express for its job: the one source
/// of these patterns (deploy/rabbitmq/definitions.json is written from them, and a test checks on a broker that each
/// user can do its job and nothing else). Publishing through the default exchange is authorised on
/// <c>amq.default</c>, not on the queue it reaches, which is why the service confines reply targets itself (ReplyPolicy).
/// </summary>
public static class BrokerRoles
{
    private const string Nothing = "^$";
    private const string DefaultExchange = @"^amq\.default$";
    private const string ServerNamedQueues = @"^amq\.gen-.*";

    /// <summary>
    /// The function (the Functions host's trigger, and the service's replies): consumes the request queue, publishes
    /// replies (and the trigger's retry copies) through the default exchange, declares nothing. The trigger's passive
    /// declare of its queue needs no permission.
    /// </summary>
    public static BrokerRole Function(string queue = RpcNames.Queue) =>
        new("fibrpc-function", "the function: consumes requests, publishes replies", Nothing, DefaultExchange, RpcPolicies.Exact(queue));

    /// <summary>
    /// KEDA's rabbitmq scaler in AMQP mode: it reads the queue's message count with a passive queue.declare, which
    /// RabbitMQ answers without checking any permission; the user still needs a permission entry on the virtual host
    /// to open a connection at all, so it gets one that grants nothing.
    /// </summary>
    public static BrokerRole Scaler { get; } = new("fibrpc-keda", "KEDA's scaler: reads the request queue's length", Nothing, Nothing, Nothing);

    /// <summary>
    /// A caller: publishes requests through the default exchange and receives replies on direct reply-to (which needs
    /// no permission) or on a server-named exclusive queue it declares and consumes.
    /// </summary>
    public static BrokerRole Caller { get; } = new("fibrpc-caller", "a caller: publishes requests, receives its replies", ServerNamedQueues, DefaultExchange, ServerNamedQueues);

    /// <summary>
    /// Whoever declares the topology before the function starts (fibrpc topology in Kubernetes' init container):
    /// declares the queues and exchange and binds them (write on the queue, read on the exchange), and sets their
    /// policies through the management API, with policymaker, the narrowest tag that may (administrator could also
    /// manage users). RabbitMQ cannot confine it to these queues' policies (docs/security.md).
    /// </summary>
    public static BrokerRole Topology(string queue = RpcNames.Queue) => new(
        "fibrpc-topology",
        "the deployment: declares the request queue and its dead-letter exchange and queue, and sets their policies",
        $"^{Regex.Escape(queue)}({Regex.Escape(RpcNames.DeadLetterExchangeSuffix)}|{Regex.Escape(RpcNames.DeadLetterQueueSuffix)})?$",
        RpcPolicies.Exact(RpcNames.DeadLetterQueueFor(queue)),
        RpcPolicies.Exact(RpcNames.DeadLetterExchangeFor(queue)))
    {
        Tags = [PolicymakerTag],
    };

    /// <summary>The RabbitMQ user tag that may set and clear policies through the management API.</summary>
    public const string PolicymakerTag = "policymaker";

    public static IReadOnlyList<BrokerRole> All(string queue = RpcNames.Queue) => [Function(queue), Scaler, Caller, Topology(queue)];
}

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

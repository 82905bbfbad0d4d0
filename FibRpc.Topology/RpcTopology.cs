using FibRpc.Contract;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Topology;

/// <summary>
/// The broker topology the service needs, which must exist before the function starts (its trigger declares its
/// queue passively): the request queue (durable, quorum by default) dead-lettering into a fanout exchange with one
/// durable queue behind it. The declare arguments are only what never changes in a queue's life: its type, and where
/// its dead letters go (so no rejected request is dropped even before a policy is set); the rest is in <see cref="RpcPolicies"/>.
/// </summary>
public static class RpcTopology
{
    /// <summary>The kind of the dead-letter exchange: every dead letter goes to the one queue bound to it.</summary>
    public const string DeadLetterExchangeType = ExchangeType.Fanout;

    /// <summary>The request queue's arguments, declared here and written into the definitions file.</summary>
    public static Dictionary<string, object?> RequestQueueArguments(string queue, RpcQueueType type = RpcQueueType.Quorum) => new()
    {
        ["x-queue-type"] = TypeName(type),
        ["x-dead-letter-exchange"] = RpcNames.DeadLetterExchangeFor(queue),
    };

    public static Dictionary<string, object?> DeadLetterQueueArguments(RpcQueueType type = RpcQueueType.Quorum) => new()
    {
        ["x-queue-type"] = TypeName(type),
    };

    public static string TypeName(RpcQueueType type) => type switch
    {
        RpcQueueType.Quorum => "quorum",
        RpcQueueType.Classic => "classic",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a queue type"),
    };

    /// <inheritdoc cref="DeclareAsync(IConnection, string, RpcQueueType, CancellationToken)"/>
    public static Task DeclareAsync(IConnection connection, string queue = RpcNames.Queue, CancellationToken cancellationToken = default) =>
        DeclareAsync(connection, queue, RpcQueueType.Quorum, cancellationToken);

    /// <exception cref="TopologyConflictException">A queue or exchange exists with other settings.</exception>
    public static async Task DeclareAsync(IConnection connection, string queue, RpcQueueType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var deadLetterExchange = RpcNames.DeadLetterExchangeFor(queue);
        var deadLetterQueue = RpcNames.DeadLetterQueueFor(queue);

        // A failed declaration closes its channel; each step gets a fresh one so that the error names the step.
        await StepAsync(connection, $"exchange '{deadLetterExchange}'", channel =>
            channel.ExchangeDeclareAsync(deadLetterExchange, DeadLetterExchangeType, durable: true, autoDelete: false, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        await StepAsync(connection, $"queue '{deadLetterQueue}'", channel =>
            channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, autoDelete: false, DeadLetterQueueArguments(type), cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        await StepAsync(connection, $"binding '{deadLetterExchange}' -> '{deadLetterQueue}'", channel =>
            channel.QueueBindAsync(deadLetterQueue, deadLetterExchange, string.Empty, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        await StepAsync(connection, $"queue '{queue}'", channel =>
            channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, RequestQueueArguments(queue, type), cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static async Task StepAsync(IConnection connection, string what, Func<IChannel, Task> declare, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await declare(channel).ConfigureAwait(false);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.PreconditionFailed)
        {
            throw new TopologyConflictException(
                $"{what} already exists with other settings ({e.ShutdownReason.ReplyText}). A queue's type cannot change in place: keep it with --queue-type, or migrate it (docs/scaling.md).", e);
        }
    }
}

/// <summary>The broker holds a queue or exchange of the same name with different settings.</summary>
public sealed class TopologyConflictException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The queue type of the request queue and its dead-letter queue (<c>x-queue-type</c>), fixed for the queue's life;
/// docs/scaling.md says how to move a classic queue.
/// </summary>
public enum RpcQueueType
{
    /// <summary>
    /// Replicated, with an elected leader: survives the loss of a minority of nodes without losing a confirmed
    /// message, and supports a delivery limit and at-least-once dead-lettering. The default for new deployments.
    /// </summary>
    Quorum,

    /// <summary>One node's queue: gone while that node is down. For an existing deployment until it migrates.</summary>
    Classic,
}

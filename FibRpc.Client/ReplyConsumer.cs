using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.Client;

/// <summary>
/// Receives the replies of one <see cref="ReplyPath"/> and reports when the path breaks: the broker cancelled the
/// consumer (its queue was deleted) or the channel shut down (closed, or its connection lost).
/// </summary>
internal sealed class ReplyConsumer(
    IChannel channel,
    Action<IReadOnlyBasicProperties, ReadOnlyMemory<byte>> onReply,
    Action<string> onLost) : AsyncDefaultBasicConsumer(channel)
{
    public override Task HandleBasicDeliverAsync(string consumerTag, ulong deliveryTag, bool redelivered, string exchange, string routingKey,
        IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        onReply(properties, body);
        return Task.CompletedTask;
    }

    public override async Task HandleBasicCancelAsync(string consumerTag, CancellationToken cancellationToken = default)
    {
        await base.HandleBasicCancelAsync(consumerTag, cancellationToken).ConfigureAwait(false);
        onLost("the broker cancelled the reply consumer: its reply queue was deleted");
    }

    public override async Task HandleChannelShutdownAsync(object channel, ShutdownEventArgs reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        await base.HandleChannelShutdownAsync(channel, reason).ConfigureAwait(false);
        onLost(Describe(reason));
    }

    /// <summary>A shutdown as a reader wants it: who closed what, and the broker's words.</summary>
    public static string Describe(ShutdownEventArgs reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var who = reason.Initiator switch
        {
            ShutdownInitiator.Peer => "closed by the broker",
            ShutdownInitiator.Library => "lost",
            _ => "closed by this client",
        };
        return $"connection or channel {who}: {reason.ReplyCode} {reason.ReplyText}";
    }
}

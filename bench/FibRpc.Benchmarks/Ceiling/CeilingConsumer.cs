using RabbitMQ.Client;

namespace FibRpc.Benchmarks.Ceiling;

/// <summary>
/// The least a consumer of the RPC pattern can do: answer every request with the same constant reply, echoing
/// the correlation id, then ack. With confirms on, its channel tracks publisher confirms, so the publish returns
/// only once the broker has confirmed the reply and the ack follows it: the same guarantee as the service. Without,
/// reply and ack leave back to back: the broker's raw ceiling for this pattern at this prefetch.
/// </summary>
internal sealed class CeilingConsumer(IChannel channel, ReadOnlyMemory<byte> reply) : AsyncDefaultBasicConsumer(channel)
{
    private long _answered;

    public long Answered => Interlocked.Read(ref _answered);

    public override async Task HandleBasicDeliverAsync(
        string consumerTag,
        ulong deliveryTag,
        bool redelivered,
        string exchange,
        string routingKey,
        IReadOnlyBasicProperties properties,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default)
    {
        if (properties.ReplyTo is { Length: > 0 } replyTo)
        {
            var replyProperties = new BasicProperties { CorrelationId = properties.CorrelationId, ContentType = "text/plain" };
            await Channel.BasicPublishAsync(string.Empty, replyTo, mandatory: false, replyProperties, reply, cancellationToken).ConfigureAwait(false);
        }

        await Channel.BasicAckAsync(deliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _answered);
    }
}

using RabbitMQ.Client;

namespace FibRpc.Messaging;

/// <summary>Publishes to a queue through the default exchange and waits for the broker's confirm.</summary>
public interface IConfirmedPublisher
{
    /// <returns><see cref="PublishOutcome.Returned"/> when no queue of that name exists (not detectable for direct reply-to).</returns>
    /// <exception cref="Exception">The broker did not confirm in time, nacked, or the connection failed: transient.</exception>
    Task<PublishOutcome> PublishAsync(string queue, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

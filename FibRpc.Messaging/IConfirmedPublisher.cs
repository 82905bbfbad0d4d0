using RabbitMQ.Client;

namespace FibRpc.Messaging;

/// <summary>Publishes to a queue through the default exchange and waits for the broker's confirm.</summary>
public interface IConfirmedPublisher
{
    /// <returns><see cref="PublishOutcome.Returned"/> when the message was mandatory and no queue of that name exists.</returns>
    /// <exception cref="PublishFailedException">
    /// The broker did not take the message, or whether it did is unknown (a timed-out or interrupted message may have
    /// been taken, so a retry can duplicate it); <see cref="PublishFailedException.Failure"/> says whether it is transient.
    /// </exception>
    Task<PublishOutcome> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

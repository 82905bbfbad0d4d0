using RabbitMQ.Client;

namespace FibRpc.Messaging;

/// <summary>Publishes to a queue through the default exchange and waits for the broker's confirm.</summary>
public interface IConfirmedPublisher
{
    /// <param name="queue">The queue, addressed through the default exchange.</param>
    /// <param name="mandatory">Whether the broker returns the message when no queue of that name exists.</param>
    /// <param name="properties">The message's AMQP properties.</param>
    /// <param name="body">The message's body.</param>
    /// <param name="cancellationToken">Ends the wait for the confirm.</param>
    /// <returns><see cref="PublishOutcome.Returned"/> when the message was mandatory and no queue of that name exists.</returns>
    /// <exception cref="PublishFailedException">
    /// The broker did not take the message, or whether it did is unknown. Not every failure is transient:
    /// <see cref="PublishFailedException.Failure"/> says which it was. Nacked, timed out, connection lost and blocked
    /// may succeed when tried again (a timed-out or interrupted message may even have been taken, so a retry can
    /// duplicate it); refused (because of where this message goes) and forbidden (to this publisher) fail the same way
    /// every time.
    /// </exception>
    Task<PublishOutcome> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

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
    /// The broker did not take the message: <see cref="PublishFailedException.Failure"/> says how, and so whether trying
    /// again can help (nacked, timed out, connection lost, blocked) or not (refused because of this message, forbidden
    /// to this publisher).
    /// </exception>
    Task<PublishOutcome> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

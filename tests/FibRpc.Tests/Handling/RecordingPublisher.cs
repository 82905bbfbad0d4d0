using FibRpc.Messaging;
using RabbitMQ.Client;

namespace FibRpc.Tests.Handling;

/// <summary>Stands in for the broker connection in unit tests of the handler's decisions (the broker itself is tested in the integration tests).</summary>
internal sealed class RecordingPublisher(PublishOutcome outcome = PublishOutcome.Confirmed, Exception? failure = null) : IConfirmedPublisher
{
    public List<(string Queue, BasicProperties Properties, byte[] Body)> Published { get; } = [];

    public Task<PublishOutcome> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (failure is not null)
        {
            throw failure;
        }

        Published.Add((queue, properties, body.ToArray()));
        return Task.FromResult(outcome);
    }
}

using FibRpc.Messaging;
using RabbitMQ.Client;

namespace FibRpc.Tests.Handling;

/// <summary>
/// Stands in for the broker connection in unit tests of the handler's decisions (the broker itself is tested in the
/// integration tests): fails the first publishes with the given exceptions, in order, then records and succeeds.
/// </summary>
internal sealed class RecordingPublisher(PublishOutcome outcome = PublishOutcome.Confirmed, params Exception[] failures) : IConfirmedPublisher
{
    private readonly Queue<Exception> _failures = new(failures);

    public List<(string Queue, BasicProperties Properties, byte[] Body)> Published { get; } = [];

    public List<(string Queue, bool Mandatory)> Attempts { get; } = [];

    public Task<PublishOutcome> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        Attempts.Add((queue, mandatory));
        if (_failures.TryDequeue(out var failure))
        {
            throw failure;
        }

        Published.Add((queue, properties, body.ToArray()));
        return Task.FromResult(outcome);
    }

    /// <summary>A failed publish of the given kind, transient or not (the service decides which kinds it retries).</summary>
    public static PublishFailedException Failed(PublishFailure failure = PublishFailure.ConnectionLost) => new(failure, $"test: {failure}");
}

using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Service.Binding;
using Microsoft.Extensions.Logging;

namespace FibRpc.Service.Handling;

/// <summary>
/// The function's entry: turns the trigger's input (body + binding data) into a call of <see cref="RequestService"/>
/// and carries the decision out with the Functions host's two moves (RabbitMQ extension 2.x): return (it acks) or
/// throw (it republishes an unconfirmed copy with <c>Convert.ToInt32(requeue header) + 1</c>, and rejects into the
/// dead-letter exchange once that reaches 5). Where a throw would stall the host's consumer (a requeue header it
/// cannot count) or would not yet dead-letter, the service publishes a confirmed copy to the queue or the dead-letter
/// queue itself (docs/reliability.md, "One service, two hosts"). Only when such a request must be retried or
/// dead-lettered and nothing can be published at all is it dropped, with a critical log line.
/// </summary>
public sealed partial class FunctionTriggerAdapter(RequestService service, IConfirmedPublisher publisher, ILogger<FunctionTriggerAdapter> logger)
{
    /// <exception cref="RequestRetryException">The host is to retry (or, at its last attempt, dead-letter) the request.</exception>
    public async Task<RequestResult> HandleAsync(ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, object?> bindingData, CancellationToken cancellationToken)
    {
        RequestProperties properties;
        RequestResult result;
        // Whether a throw is safe: the host can count the requeue header. Unknown (so not safe) for binding data
        // that cannot be read.
        bool hostCanCount;
        try
        {
            properties = BindingDataReader.Read(bindingData);
            hostCanCount = HeaderValues.HostCanCountRequeues(properties.Headers);
            result = await service.HandleAsync(body, properties, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            // Not the JSON the host writes: nothing in it can be trusted, so the copy carries the body alone.
            properties = new RequestProperties(null, null, RequestProperties.NoHeaders);
            hostCanCount = false;
            result = service.Unreadable(e);
        }

        switch (result.Disposition)
        {
            case Disposition.Ack:
                return result;
            case Disposition.Retry when hostCanCount:
                throw new RequestRetryException(result);
            case Disposition.Retry:
                await PublishCopyOrDropAsync(service.RequestQueue, body, properties, result, deadLetter: false, hostCanCount, cancellationToken).ConfigureAwait(false);
                return result;
            default:
                if (hostCanCount && HeaderValues.HostRejectsOnThrow(properties.Headers))
                {
                    throw new RequestRetryException(result);
                }

                await PublishCopyOrDropAsync(RpcNames.DeadLetterQueueFor(service.RequestQueue), body, properties, result, deadLetter: true, hostCanCount, cancellationToken).ConfigureAwait(false);
                return result;
        }
    }

    private async Task PublishCopyOrDropAsync(string queue, ReadOnlyMemory<byte> body, RequestProperties properties, RequestResult result, bool deadLetter, bool hostCanCount, CancellationToken cancellationToken)
    {
        var copy = RequestCopy.Properties(properties, Math.Min(result.Attempt, HeaderValues.FunctionsHostAttempts - 1), deadLetter ? result.ErrorType ?? result.Outcome.ToString() : null);
        try
        {
            await publisher.PublishAsync(queue, mandatory: false, copy, body, cancellationToken).ConfigureAwait(false);
            LogCopied(logger, queue, properties.CorrelationId, result.ToString());
        }
        catch (PublishFailedException e)
        {
            if (hostCanCount)
            {
                // The host can count this one: its retry is the better fate than none.
                throw new RequestRetryException(result, e);
            }

            LogDropped(logger, e, properties.CorrelationId, result.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Put a copy of request (correlation id {CorrelationId}) into '{Queue}' in the Functions host's place: {Result}")]
    private static partial void LogCopied(ILogger logger, string queue, string? correlationId, string result);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Request (correlation id {CorrelationId}) dropped: {Result}, no copy could be published, and its requeue header would stall the Functions host's consumer if the function threw")]
    private static partial void LogDropped(ILogger logger, Exception exception, string? correlationId, string result);
}

/// <summary>Thrown to the Functions host so that it retries the request (republish with its requeue count + 1) or, at its fifth attempt, dead-letters it.</summary>
public sealed class RequestRetryException(RequestResult result, Exception? inner = null)
    : Exception($"request not done: {result}; the Functions host retries it, or dead-letters it at its last attempt", inner)
{
    public RequestResult Result { get; } = result;
}

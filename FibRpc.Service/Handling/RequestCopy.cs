using FibRpc.Contract;
using FibRpc.Service.Binding;
using RabbitMQ.Client;

namespace FibRpc.Service.Handling;

/// <summary>
/// The properties of a copy of a request that a host puts back on the queue (a retry) or into the dead-letter queue.
/// Every property goes with it (reply_to, correlation and message id, expiration and timestamp, so that a retried
/// request still expires with its caller's timeout, content type, delivery mode, priority, type, app id and every
/// header) except <c>user_id</c>, which the broker checks against the publishing connection's user, and the broker's
/// own <c>x-delivery-count</c>, which belongs to the original message.
/// </summary>
public static class RequestCopy
{
    /// <summary>The header that says why the service dead-lettered a copy itself (the broker's own dead-lettering adds <c>x-death</c>).</summary>
    public const string DeadLetterReasonHeader = "x-fibrpc-dead-letter-reason";

    /// <param name="request">The request's properties.</param>
    /// <param name="attemptsMade">What the copy's requeue header says: the attempts made so far.</param>
    /// <param name="deadLetterReason">For a dead-lettered copy: why.</param>
    public static BasicProperties Properties(RequestProperties request, int attemptsMade, string? deadLetterReason = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers
            .Where(header => header.Key != HeaderValues.DeliveryCountHeader)
            .ToDictionary(StringComparer.Ordinal);
        headers[RpcNames.RequeueCountHeader] = attemptsMade;
        if (deadLetterReason is not null)
        {
            headers[DeadLetterReasonHeader] = deadLetterReason;
        }

        var copy = new BasicProperties
        {
            ReplyTo = request.ReplyTo,
            CorrelationId = request.CorrelationId,
            MessageId = request.MessageId,
            Expiration = request.Expiration,
            ContentType = request.ContentType,
            ContentEncoding = request.ContentEncoding,
            Type = request.Type,
            AppId = request.AppId,
            Priority = request.Priority,
            // A copy is at least as durable as the original; a request whose mode was unset stays transient.
            DeliveryMode = request.DeliveryMode == 2 ? DeliveryModes.Persistent : DeliveryModes.Transient,
            Headers = headers,
        };
        if (request.Timestamp > 0)
        {
            copy.Timestamp = new AmqpTimestamp(request.Timestamp);
        }

        return copy;
    }
}

using FibRpc.Contract;
using RabbitMQ.Client;

namespace FibRpc.Service.Replies;

/// <summary>Turns a contract <see cref="Reply"/> into the AMQP properties it travels with.</summary>
public static class ReplyMessage
{
    /// <param name="reply">The reply.</param>
    /// <param name="traceParent">The request's W3C trace context, passed on so that a tracing client can join them.</param>
    public static BasicProperties Properties(Reply reply, string? traceParent = null)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var properties = new BasicProperties
        {
            ContentType = reply.ContentType,
            CorrelationId = reply.CorrelationId,
            // A confirmed reply in a durable reply queue survives a broker restart, as the request it answers would
            // have. Server-named and direct reply-to queues are not durable, so there it costs nothing.
            Persistent = true,
        };
        if (reply.Error is { } error)
        {
            properties.Type = reply.Type;
            properties.Headers = new Dictionary<string, object?> { [RpcNames.ErrorCodeHeader] = error.Code };
        }

        if (traceParent is not null)
        {
            properties.Headers ??= new Dictionary<string, object?>();
            properties.Headers["traceparent"] = traceParent;
        }

        return properties;
    }
}

using System.Diagnostics;
using FibRpc.Contract;
using FibRpc.Messaging.Telemetry;
using RabbitMQ.Client;

namespace FibRpc.Service.Replies;

/// <summary>Turns a contract <see cref="Reply"/> into the AMQP properties it travels with.</summary>
public static class ReplyMessage
{
    /// <param name="reply">The reply.</param>
    /// <param name="span">
    /// The server's span that publishes the reply, whose W3C context the reply carries (never the request's: a
    /// copy would claim the reply was made by the caller's span); none when the service is not traced.
    /// </param>
    public static BasicProperties Properties(Reply reply, Activity? span = null)
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

        if (span is not null)
        {
            properties.Headers ??= new Dictionary<string, object?>(2, StringComparer.Ordinal);
            TraceContextHeaders.Inject(span, properties.Headers);
        }

        return properties;
    }
}

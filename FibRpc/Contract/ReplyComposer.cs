using System.Text;
using RabbitMQ.Client;

namespace FibRpc.Contract;

/// <summary>Builds the AMQP properties and body of replies, as the wire contract defines them.</summary>
public static class ReplyComposer
{
    /// <summary>A success reply: body = decimal F(n), content type text/plain, correlation id echoed.</summary>
    public static BasicProperties Success(string? correlationId, string? traceParent = null)
    {
        var properties = new BasicProperties
        {
            ContentType = RpcNames.ReplyContentType,
            CorrelationId = correlationId,
        };
        CarryTrace(properties, traceParent);
        return properties;
    }

    /// <summary>An error reply: type = error, the code in a header, correlation id echoed.</summary>
    public static BasicProperties Error(string? correlationId, RpcError error, string? traceParent = null)
    {
        var properties = new BasicProperties
        {
            ContentType = RpcNames.ReplyContentType,
            CorrelationId = correlationId,
            Type = RpcNames.ErrorReplyType,
            Headers = new Dictionary<string, object?> { [RpcNames.ErrorCodeHeader] = error.Code },
        };
        CarryTrace(properties, traceParent);
        return properties;
    }

    /// <summary>The human-readable body of an error reply.</summary>
    public static byte[] ErrorBody(RpcError error) => Encoding.UTF8.GetBytes($"error {error.Code}: {error.Message}");

    // The reply belongs to the request's trace: pass the W3C trace context on so that a tracing client can join them.
    private static void CarryTrace(BasicProperties properties, string? traceParent)
    {
        if (traceParent is null)
        {
            return;
        }

        properties.Headers ??= new Dictionary<string, object?>();
        properties.Headers["traceparent"] = traceParent;
    }
}

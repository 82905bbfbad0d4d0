namespace FibRpc.Messaging.Telemetry;

/// <summary>Attribute names and values of the OpenTelemetry messaging conventions, so that client and server agree on them.</summary>
public static class MessagingAttributes
{
    public const string System = "messaging.system";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string DestinationName = "messaging.destination.name";
    public const string DestinationTemporary = "messaging.destination.temporary";
    public const string ConversationId = "messaging.message.conversation_id";
    public const string BodySize = "messaging.message.body.size";
    public const string RoutingKey = "messaging.rabbitmq.destination.routing_key";
    public const string ErrorType = "error.type";

    public const string RabbitMq = "rabbitmq";

    /// <summary>Operation types: the client and the reply publish send, the service processes.</summary>
    public const string Send = "send";
    public const string Process = "process";

    /// <summary>The destination for a span name or a metric: per-client reply queues would make names unbounded, so they are "(temporary)".</summary>
    public static string DestinationTemplate(string queue, out bool temporary)
    {
        ArgumentNullException.ThrowIfNull(queue);
        temporary = queue.StartsWith("amq.rabbitmq.reply-to", StringComparison.Ordinal) || queue.StartsWith("amq.gen-", StringComparison.Ordinal);
        return temporary ? "(temporary)" : queue;
    }

    /// <summary>The attributes every RabbitMQ span of ours carries, for one operation on one queue through the default exchange.</summary>
    public static void SetCommon(System.Diagnostics.Activity activity, string operation, string queue, string? conversationId, int bodySize)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.SetTag(System, RabbitMq);
        activity.SetTag(OperationType, operation);
        activity.SetTag(OperationName, operation);
        activity.SetTag(DestinationName, queue);
        activity.SetTag(RoutingKey, queue);
        activity.SetTag(ConversationId, conversationId);
        activity.SetTag(BodySize, bodySize);
    }
}

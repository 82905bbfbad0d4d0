namespace FibRpc;

/// <summary>
/// Names shared by the function's trigger attribute, the local trigger host, the topology and the deployment
/// files. Attribute arguments must be compile-time constants, which is why these are <c>const</c>.
/// </summary>
public static class RpcNames
{
    /// <summary>The request queue that clients publish to.</summary>
    public const string Queue = "rpc_queue";

    /// <summary>Exchange that rejected requests are dead-lettered to.</summary>
    public const string DeadLetterExchange = Queue + ".dlx";

    /// <summary>Queue that keeps dead-lettered requests for inspection.</summary>
    public const string DeadLetterQueue = Queue + ".dead-letter";

    /// <summary>The app setting that holds the AMQP URI, as named by the trigger's ConnectionStringSetting.</summary>
    public const string ConnectionSetting = "RabbitMQConnection";

    /// <summary>The function's name in the Functions host.</summary>
    public const string FunctionName = "Fib";

    /// <summary>Header the Functions RabbitMQ trigger uses to count republished attempts.</summary>
    public const string RequeueCountHeader = "x-ms-rabbitmq-requeuecount";

    /// <summary>Header that carries the machine-readable error code of an error reply.</summary>
    public const string ErrorCodeHeader = "x-fib-error";

    /// <summary>AMQP <c>type</c> property of an error reply.</summary>
    public const string ErrorReplyType = "error";

    /// <summary>Content type of every reply.</summary>
    public const string ReplyContentType = "text/plain";

    /// <summary>The pseudo-queue of RabbitMQ's direct reply-to.</summary>
    public const string DirectReplyTo = "amq.rabbitmq.reply-to";

    /// <summary>Default AMQP URI when nothing is configured.</summary>
    public const string DefaultConnection = "amqp://guest:guest@localhost:5672/";
}

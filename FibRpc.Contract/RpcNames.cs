namespace FibRpc.Contract;

/// <summary>Names shared by every side of the contract; <c>const</c>, because the trigger's attribute arguments must be.</summary>
public static class RpcNames
{
    /// <summary>The request queue that clients publish to.</summary>
    public const string Queue = "rpc_queue";

    /// <summary>Appended to a request queue's name to name the exchange its rejected requests are dead-lettered to.</summary>
    public const string DeadLetterExchangeSuffix = ".dlx";

    /// <summary>Appended to a request queue's name to name the queue that keeps its dead-lettered requests.</summary>
    public const string DeadLetterQueueSuffix = ".dead-letter";

    /// <summary>Exchange that rejected requests of <see cref="Queue"/> are dead-lettered to.</summary>
    public const string DeadLetterExchange = Queue + DeadLetterExchangeSuffix;

    /// <summary>Queue that keeps dead-lettered requests of <see cref="Queue"/> for inspection.</summary>
    public const string DeadLetterQueue = Queue + DeadLetterQueueSuffix;

    /// <summary>The app setting that holds the AMQP URI, as named by the trigger's ConnectionStringSetting.</summary>
    public const string ConnectionSetting = "RabbitMQConnection";

    /// <summary>
    /// The app setting naming a PEM file of the CA(s) that the broker's TLS certificate is verified against; the
    /// Functions host's trigger ignores it and trusts only the system store (see docs/security.md).
    /// </summary>
    public const string CaFileSetting = "RabbitMQCaFile";

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

    /// <summary>The pseudo-queue of RabbitMQ's direct reply-to; the names it hands out begin with it and a dot.</summary>
    public const string DirectReplyTo = "amq.rabbitmq.reply-to";

    /// <summary>The dead-letter exchange of any request queue (tests and side-by-side instances use other queues).</summary>
    public static string DeadLetterExchangeFor(string queue) => queue + DeadLetterExchangeSuffix;

    /// <summary>The dead-letter queue of any request queue.</summary>
    public static string DeadLetterQueueFor(string queue) => queue + DeadLetterQueueSuffix;
}

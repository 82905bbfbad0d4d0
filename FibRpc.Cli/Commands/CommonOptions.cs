using System.CommandLine;
using FibRpc.Contract;
using FibRpc.Messaging;

namespace FibRpc.Cli.Commands;

/// <summary>Options shared by the commands that talk to the broker.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Connection = new("--connection", "-c")
    {
        Description = $"AMQP URI of the broker. Default: the {RpcNames.ConnectionSetting} environment variable, else {BrokerUri.Default}",
        Recursive = true,
    };

    public static readonly Option<string> Queue = new("--queue", "-q")
    {
        Description = "The request queue",
        DefaultValueFactory = _ => RpcNames.Queue,
    };

    public static readonly Option<bool> ExclusiveReplyQueue = new("--exclusive-reply-queue")
    {
        Description = "Receive replies on an exclusive queue instead of direct reply-to",
    };

    public static Client.ReplyQueueMode ReplyQueueMode(ParseResult parseResult) =>
        parseResult.GetValue(ExclusiveReplyQueue) ? Client.ReplyQueueMode.ExclusiveQueue : Client.ReplyQueueMode.DirectReplyTo;

    /// <summary>--connection, else the RabbitMQConnection environment variable, else the local default.</summary>
    public static string ResolveConnection(ParseResult parseResult) =>
        BrokerUri.Resolve(parseResult.GetValue(Connection), Environment.GetEnvironmentVariable(RpcNames.ConnectionSetting));
}

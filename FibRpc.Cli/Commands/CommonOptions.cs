using System.CommandLine;
using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.Messaging;

namespace FibRpc.Cli.Commands;

/// <summary>
/// Options shared by the commands that talk to the broker. Each such command lists them itself (compute has
/// neither: it never connects, so offering them would promise an effect they cannot have).
/// </summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Connection = new("--connection", "-c")
    {
        Description = $"AMQP URI of the broker, or the comma-separated URIs of a cluster's nodes (one is picked at random, the others taken on failover). Default: the {RpcNames.ConnectionSetting} environment variable, else {BrokerUri.Default}",
    };

    public static readonly Option<string?> CaFile = new("--ca-file")
    {
        Description = $"PEM file of the CA that an amqps:// broker's certificate must chain to (instead of the system store). Default: the {RpcNames.CaFileSetting} environment variable",
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

    /// <summary>The client of call and bench, as the command line and the environment configure it.</summary>
    public static FibRpcClientOptions ClientOptions(ParseResult parseResult, TimeSpan timeout) => new()
    {
        Connection = ResolveConnection(parseResult),
        CaFile = ResolveCaFile(parseResult),
        RequestQueue = parseResult.GetValue(Queue)!,
        ReplyQueue = parseResult.GetValue(ExclusiveReplyQueue) ? ReplyQueueMode.ExclusiveQueue : ReplyQueueMode.DirectReplyTo,
        Timeout = timeout,
        // A call whose connection went is sent again within the timeout (bench counts it as re-sent, not lost).
        ResendOnConnectionLoss = true,
    };

    /// <summary>--ca-file, else the RabbitMQCaFile environment variable, else none (the system store).</summary>
    public static string? ResolveCaFile(ParseResult parseResult) =>
        parseResult.GetValue(CaFile) is { Length: > 0 } file ? file : Environment.GetEnvironmentVariable(RpcNames.CaFileSetting) is { Length: > 0 } set ? set : null;

    /// <summary>
    /// Whether an exception is a failure to reach, log in to, or verify the broker, or to use its URI or CA file: the
    /// errors reported in one line. Only those: any other ArgumentException is a bug, and keeps its stack trace.
    /// </summary>
    public static bool IsConnectionFailure(Exception e) => e
        is FibRpcConnectFailedException
        or BrokerUriException
        or BrokerCaFileException
        or RabbitMQ.Client.Exceptions.BrokerUnreachableException
        or RabbitMQ.Client.Exceptions.AuthenticationFailureException
        or System.Security.Authentication.AuthenticationException
        // The broker closed the connection or channel, or it broke, during the command's own operations (a permission
        // refused to the user, a virtual host that went away).
        or RabbitMQ.Client.Exceptions.OperationInterruptedException;

    /// <summary>
    /// The one line a command prints for a connection failure: what happened, the setting that named the broker
    /// (--connection, RabbitMQConnection, or the default), and what to do; never a password.
    /// </summary>
    public static string Describe(Exception e, ParseResult parseResult) =>
        ConnectionErrors.Describe(
            // The client's wrapper adds only "could not connect": the line is about its cause, in the setting's words.
            e is FibRpcConnectFailedException { InnerException: { } cause } ? cause : e,
            ResolveConnection(parseResult), ConnectionSource(parseResult), CaFileSource(parseResult));

    /// <summary>Where the broker's URI came from, in the words the person used to give it.</summary>
    public static string ConnectionSource(ParseResult parseResult) =>
        !string.IsNullOrWhiteSpace(parseResult.GetValue(Connection)) ? "--connection"
        : !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(RpcNames.ConnectionSetting)) ? RpcNames.ConnectionSetting
        : $"--connection or {RpcNames.ConnectionSetting} (neither is set, so the default {BrokerUri.Redact(BrokerUri.Default)} is used)";

    private static string CaFileSource(ParseResult parseResult) =>
        !string.IsNullOrWhiteSpace(parseResult.GetValue(CaFile)) ? "--ca-file" : $"--ca-file or {RpcNames.CaFileSetting}";

    /// <summary>--connection, else the RabbitMQConnection environment variable, else the local default.</summary>
    public static string ResolveConnection(ParseResult parseResult) =>
        BrokerUri.Resolve(parseResult.GetValue(Connection), Environment.GetEnvironmentVariable(RpcNames.ConnectionSetting));
}

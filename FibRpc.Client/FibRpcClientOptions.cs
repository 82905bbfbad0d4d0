using FibRpc.Contract;
using FibRpc.Messaging;

namespace FibRpc.Client;

/// <summary>Settings of <see cref="FibRpcClient"/>.</summary>
public sealed class FibRpcClientOptions
{
    /// <summary>AMQP URI of the broker.</summary>
    public string Connection { get; set; } = BrokerUri.Default;

    /// <summary>
    /// PEM file of the CA(s) that an <c>amqps://</c> broker's certificate must chain to, instead of the system store.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>The queue requests are published to.</summary>
    public string RequestQueue { get; set; } = RpcNames.Queue;

    public ReplyQueueMode ReplyQueue { get; set; } = ReplyQueueMode.DirectReplyTo;

    /// <summary>How long a call waits for its reply by default.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Name shown for the connection in the broker's management UI.</summary>
    public string ClientName { get; set; } = "fibrpc-client";
}

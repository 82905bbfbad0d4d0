using FibRpc.Contract;
using FibRpc.Messaging;

namespace FibRpc.Client;

/// <summary>Settings of <see cref="FibRpcClient"/>.</summary>
public sealed class FibRpcClientOptions
{
    /// <summary>
    /// AMQP URI of the broker, or the comma-separated URIs of a cluster's nodes (same credentials and virtual host):
    /// the client connects to one at random and, on recovery, to whichever of them answers.
    /// </summary>
    public string Connection { get; set; } = BrokerUri.Default;

    /// <summary>
    /// PEM file of the CA(s) that an <c>amqps://</c> broker's certificate must chain to, instead of the system store.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>The queue requests are published to.</summary>
    public string RequestQueue { get; set; } = RpcNames.Queue;

    public ReplyQueueMode ReplyQueue { get; set; } = ReplyQueueMode.DirectReplyTo;

    /// <summary>
    /// How long a call may take by default: waiting for a connection, the broker's confirm and the reply. Also the
    /// request's AMQP expiration (what is left of it when the request is sent), so the broker drops the request once
    /// nobody waits for it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a call publishes a request the broker nacks, each time on a fresh channel (within the call's
    /// timeout, 50 ms, 100 ms, 200 ms ... apart) before it fails with <see cref="FibRpcOverloadedException"/>.
    /// </summary>
    public int PublishAttempts { get; set; } = 4;

    /// <summary>Name shown for the connection in the broker's management UI.</summary>
    public string ClientName { get; set; } = "fibrpc-client";
}

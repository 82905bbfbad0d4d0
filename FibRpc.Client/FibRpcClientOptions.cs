using FibRpc.Contract;
using FibRpc.Messaging;

namespace FibRpc.Client;

/// <summary>
/// Settings of <see cref="FibRpcClient"/>. Given to <see cref="FibRpcClient.ConnectAsync(FibRpcClientOptions, CancellationToken)"/>,
/// or bound by <c>AddFibRpcClient</c> from the configuration section <see cref="SectionName"/> (environment
/// variables <c>FibRpcClient__Connection</c>, <c>FibRpcClient__Timeout</c>, ...) and validated at start-up by
/// <see cref="FibRpcClientOptionsValidator"/>.
/// </summary>
public sealed class FibRpcClientOptions
{
    /// <summary>The configuration section <c>AddFibRpcClient</c> binds.</summary>
    public const string SectionName = "FibRpcClient";

    /// <summary>
    /// AMQP URI of the broker, or the comma-separated URIs of a cluster's nodes (same credentials and virtual host):
    /// the client connects to one at random and, on recovery, to whichever of them answers.
    /// </summary>
    [BrokerUriSetting("FibRpcClient__Connection")]
    public string Connection { get; set; } = BrokerUri.Default;

    /// <summary>
    /// PEM file of the CA(s) that an <c>amqps://</c> broker's certificate must chain to, instead of the system store.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>The queue requests are published to.</summary>
    [RequiredSetting("FibRpcClient__RequestQueue must name a queue")]
    public string RequestQueue { get; set; } = RpcNames.Queue;

    /// <summary>Where replies come back: direct reply-to (the default) or an exclusive queue per reply path.</summary>
    public ReplyQueueMode ReplyQueue { get; set; } = ReplyQueueMode.DirectReplyTo;

    /// <summary>
    /// How long a call may take by default: waiting for a connection, the broker's confirm and the reply. Also the
    /// request's AMQP expiration (what is left of it when the request is sent), so the broker drops the request once
    /// nobody waits for it.
    /// </summary>
    [TimeoutSetting("FibRpcClient__Timeout")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest timeout a call may have: what the AMQP expiration and the timers can hold, rounded down to a day.</summary>
    public static readonly TimeSpan LongestTimeout = TimeSpan.FromDays(1);

    /// <summary>
    /// Whether a call whose connection or reply path is lost (a broker restart, a lost node, a closed connection) is
    /// sent again, under a new correlation id, once the client has reconnected, within the call's timeout, instead of
    /// failing with <see cref="FibRpcReplyLostException"/> or <see cref="FibRpcConnectionLostException"/>. F(n) never
    /// changes, so a second request costs the service one more computation and nothing else; a reply to the first
    /// one, should it still come, is dropped as unmatched. Off by default: the caller then decides, and sees each loss
    /// (and the service is not sent more work than it was asked for just when it is recovering); <c>fibrpc call</c>
    /// and <c>fibrpc bench</c> turn it on.
    /// </summary>
    public bool ResendOnConnectionLoss { get; set; }

    /// <summary>A timeout the client can keep: more than zero and at most <see cref="LongestTimeout"/>.</summary>
    internal static void CheckTimeout(TimeSpan timeout, string name)
    {
        if (timeout <= TimeSpan.Zero || timeout > LongestTimeout)
        {
            throw new ArgumentOutOfRangeException(name, timeout, $"a call's timeout must be more than zero and at most {LongestTimeout.TotalSeconds} s");
        }
    }

    /// <summary>
    /// How many times a call publishes a request the broker nacks, each time on a fresh channel (within the call's
    /// timeout, 50 ms, 100 ms, 200 ms ... apart) before it fails with <see cref="FibRpcOverloadedException"/>.
    /// </summary>
    [ClientSettingRange(1, 100, ErrorMessage = "FibRpcClient__PublishAttempts must be between {1} and {2}")]
    public int PublishAttempts { get; set; } = 4;

    /// <summary>Name shown for the connection in the broker's management UI.</summary>
    [RequiredSetting("FibRpcClient__ClientName must name the connection")]
    public string ClientName { get; set; } = "fibrpc-client";
}

using System.ComponentModel.DataAnnotations;
using FibRpc.Contract;
using FibRpc.Messaging;

namespace FibRpc.Client;

/// <summary>
/// Settings of <see cref="FibRpcClient"/>, given to <c>ConnectAsync</c> or bound by <c>AddFibRpcClient</c> from the
/// configuration section <see cref="SectionName"/> (environment variables <c>FibRpcClient__Connection</c>, ...).
/// </summary>
public sealed class FibRpcClientOptions : IValidatableObject
{
    /// <summary>The configuration section <c>AddFibRpcClient</c> binds.</summary>
    public const string SectionName = "FibRpcClient";

    /// <summary>
    /// AMQP URI of the broker, or the comma-separated URIs of a cluster's nodes (same credentials and virtual host):
    /// the client connects to one at random and, on recovery, to whichever of them answers.
    /// </summary>
    public string Connection { get; set; } = BrokerUri.Default;

    /// <summary>PEM file of the CA(s) that an <c>amqps://</c> broker's certificate must chain to, instead of the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>The queue requests are published to.</summary>
    public string RequestQueue { get; set; } = RpcNames.Queue;

    /// <summary>Where replies come back: direct reply-to (the default) or an exclusive queue per reply path.</summary>
    public ReplyQueueMode ReplyQueue { get; set; } = ReplyQueueMode.DirectReplyTo;

    /// <summary>
    /// How long a call may take by default, connection, confirm and reply included. What is left of it is the request's
    /// AMQP expiration, so the broker drops the request once nobody waits for it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest timeout a call may have: what the AMQP expiration and the timers can hold, rounded down to a day.</summary>
    public static readonly TimeSpan LongestTimeout = TimeSpan.FromDays(1);

    /// <summary>
    /// Whether a call whose connection or reply path is lost is sent again, under a new correlation id, once the client
    /// has reconnected, within the call's timeout, instead of failing with a <see cref="FibRpcCallLostException"/>.
    /// F(n) never changes, so a second request costs one more computation and nothing else. Off by default, so that
    /// the caller sees each loss and a recovering service is not sent more work than it was asked for.
    /// </summary>
    public bool ResendOnConnectionLoss { get; set; }

    /// <summary>A timeout the client can keep: more than zero and at most <see cref="LongestTimeout"/>.</summary>
    internal static void CheckTimeout(TimeSpan timeout, string name)
    {
        if (!CanKeep(timeout))
        {
            throw new ArgumentOutOfRangeException(name, timeout, $"a call's timeout must be more than zero and at most {LongestTimeout.TotalSeconds} s");
        }
    }

    /// <summary>
    /// How many times a call publishes a request the broker nacks, each time on a fresh channel (50 ms, 100 ms, 200 ms
    /// ... apart, within the call's timeout), before it fails with <see cref="FibRpcOverloadedException"/>.
    /// </summary>
    public int PublishAttempts { get; set; } = 4;

    /// <summary>Name shown for the connection in the broker's management UI.</summary>
    public string ClientName { get; set; } = "fibrpc-client";

    /// <summary>
    /// The checks <see cref="FibRpcClientOptionsValidator"/> runs at start-up. Each message names the environment
    /// variable to correct and nothing else (no .NET property name), and never holds a password.
    /// </summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (ConnectionError(Connection) is { } connection)
        {
            yield return new ValidationResult(connection);
        }

        if (string.IsNullOrWhiteSpace(RequestQueue))
        {
            yield return new ValidationResult("FibRpcClient__RequestQueue must name a queue");
        }

        if (!CanKeep(Timeout))
        {
            yield return new ValidationResult(
                $"FibRpcClient__Timeout must be more than zero and at most {LongestTimeout.TotalSeconds:0} s (a day), written as hours:minutes:seconds, e.g. 00:00:30");
        }

        if (PublishAttempts is < 1 or > 100)
        {
            yield return new ValidationResult("FibRpcClient__PublishAttempts must be between 1 and 100");
        }

        if (string.IsNullOrWhiteSpace(ClientName))
        {
            yield return new ValidationResult("FibRpcClient__ClientName must name the connection");
        }
    }

    /// <summary>Why the broker setting cannot be used (<see cref="BrokerEndpoints.Parse"/>'s rules), or null.</summary>
    private static bool CanKeep(TimeSpan timeout) => timeout > TimeSpan.Zero && timeout <= LongestTimeout;

    private static string? ConnectionError(string? connection)
    {
        if (string.IsNullOrWhiteSpace(connection))
        {
            return "FibRpcClient__Connection must name the broker, e.g. amqp://user:password@host:5672/vhost";
        }

        try
        {
            BrokerEndpoints.Parse(connection);
            return null;
        }
        catch (BrokerUriException e)
        {
            return $"FibRpcClient__Connection: {e.Message}; write it as amqp://user:password@host:5672/vhost (amqps:// for TLS)";
        }
    }
}

using System.Text;
using FibRpc.Contract;
using FibRpc.Messaging;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests.Conformance;

/// <summary>How the caller of a scenario receives replies.</summary>
internal enum ReplyPath
{
    /// <summary>An exclusive server-named queue (amq.gen-*), as RabbitMQ's tutorial clients do.</summary>
    ServerNamed,

    /// <summary>Direct reply-to (amq.rabbitmq.reply-to).</summary>
    DirectReplyTo,

    /// <summary>An exclusive queue the caller names itself, as aioamqp does (aioamqp.gen-*).</summary>
    OwnExclusive,

    /// <summary>A server-named queue that takes nothing (x-max-length 0, reject-publish): every reply is nacked.</summary>
    Full,

    /// <summary>No reply path: the request names <see cref="ConformanceScenario.ReplyTo"/> as it is.</summary>
    Given,
}

/// <summary>What a scenario ends in: what the caller receives, and what the dead-letter queue holds afterwards.</summary>
/// <param name="Reply">The reply's body (or <c>error:code</c>), or null when the caller receives nothing.</param>
/// <param name="DeadLettered">Requests in the dead-letter queue afterwards.</param>
internal sealed record Expected(string? Reply, uint DeadLettered)
{
    public override string ToString() => $"{Reply ?? "nothing"}{(DeadLettered > 0 ? $", {DeadLettered} dead-lettered" : "")}";
}

/// <summary>A fault injected into the service's publishing.</summary>
internal enum Fault
{
    None,

    /// <summary>Every publish of the service refused with 403 (the deployment's permissions).</summary>
    Forbidden,

    /// <summary>The broker blocks publishing (an alarm) for the first two reply publishes, then lifts the block.</summary>
    Alarm,
}

/// <summary>
/// One row of the outcome table (docs/reliability.md): a request, a fault, and what it ends in under both hosts,
/// unless <see cref="Function"/> says otherwise and <see cref="Why"/> says why.
/// </summary>
internal sealed record ConformanceScenario(string Name, string Body, Expected Outcome)
{
    public ReplyPath Path { get; init; } = ReplyPath.ServerNamed;

    public string? ReplyTo { get; init; }

    public Action<BasicProperties>? Properties { get; init; }

    public Fault Fault { get; init; }

    /// <summary>Deliver it once and give it back (nack with requeue) before the host starts: a redelivery.</summary>
    public bool RedeliverFirst { get; init; }

    /// <summary>The host crashes mid-request once: under the Functions host a failed invocation.</summary>
    public bool CrashOnce { get; init; }

    /// <summary>Binding data that is not the host's JSON (the function only: RabbitMQ.Client parses every property).</summary>
    public bool Unreadable { get; init; }

    /// <summary>Where the function's outcome differs from serve's.</summary>
    public Expected? Function { get; init; }

    public string? Why { get; init; }

    public Expected For(HostKind host) => host == HostKind.Function && Function is not null ? Function : Outcome;

    public override string ToString() => Name;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static Action<BasicProperties> Header(string name, object? value) => properties =>
        properties.Headers = new Dictionary<string, object?> { [name] = value };

    private static readonly Expected Answer10 = new("55", 0);
    private static readonly Expected Nothing = new(null, 0);

    /// <summary>The rows: the 23 binding-data cases of the Functions host's fixtures, then the faults.</summary>
    public static IReadOnlyList<ConformanceScenario> All { get; } =
    [
        new("minimal", "10", Answer10),
        new("direct-reply-to", "10", Answer10) { Path = ReplyPath.DirectReplyTo },
        new("retried-with-traceparent", "10", Answer10)
        {
            Properties = properties =>
            {
                properties.ContentType = "text/plain";
                properties.Persistent = true;
                properties.Expiration = "60000";
                properties.MessageId = "m-1";
                properties.Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                properties.Headers = new Dictionary<string, object?>
                {
                    ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                    [RpcNames.RequeueCountHeader] = 2,
                    ["x-custom-long"] = 1234567890123L,
                    ["x-flag"] = true,
                };
            },
        },
        new("no-reply-to", "10", Nothing) { Path = ReplyPath.Given, ReplyTo = null },
        new("no-correlation-id", "10", Answer10) { Properties = properties => properties.CorrelationId = null },
        new("unicode-correlation-id", "10", Answer10) { Properties = properties => properties.CorrelationId = "日本-ü-\"quoted\"" },
        new("requeuecount-int64-2pow40", "10", Answer10) { Properties = Header(RpcNames.RequeueCountHeader, 1L << 40) },
        new("requeuecount-int32-max", "10", Answer10) { Properties = Header(RpcNames.RequeueCountHeader, int.MaxValue) },
        new("requeuecount-negative", "10", Answer10) { Properties = Header(RpcNames.RequeueCountHeader, -3) },
        new("requeuecount-string-digits", "10", Answer10) { Properties = Header(RpcNames.RequeueCountHeader, Utf8("99999999999")) },
        new("requeuecount-string-junk", "10", Answer10) { Properties = Header(RpcNames.RequeueCountHeader, Utf8("abc")) },
        new("requeuecount-double", "10", Answer10) { Properties = Header(RpcNames.RequeueCountHeader, 1.5) },
        new("requeuecount-bool", "10", Answer10) { Properties = Header(RpcNames.RequeueCountHeader, true) },
        new("requeuecount-table", "10", Answer10) { Properties = Header(RpcNames.RequeueCountHeader, new Dictionary<string, object?> { ["a"] = 1 }) },
        new("requeuecount-array", "10", Answer10) { Properties = Header(RpcNames.RequeueCountHeader, new List<object?> { 1, 2 }) },
        new("requeuecount-void", "10", Answer10) { Properties = Header(RpcNames.RequeueCountHeader, null) },
        new("header-bytes-not-utf8", "10", Answer10) { Properties = Header("x-binary", new byte[] { 0xff, 0xfe }) },
        new("forged-direct-reply-to", "10", Nothing) { Path = ReplyPath.Given, ReplyTo = "amq.rabbitmq.reply-to.g2dkAA5jaGFvc0Bsb2NhbGhvc3QAAAAAAAAAAAAAAAA=.Zm9v" },
        new("redelivered", "10", Answer10) { RedeliverFirst = true },
        new("quorum-delivery-count", "10", Answer10) { RedeliverFirst = true, Properties = properties => properties.Persistent = true },
        new("traceparent-and-tracestate", "10", Answer10)
        {
            Properties = properties => properties.Headers = new Dictionary<string, object?>
            {
                ["traceparent"] = Utf8("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                ["tracestate"] = Utf8("congo=t61rcWkgMzE"),
            },
        },
        new("expiration-and-timestamp (the caller gave up)", "10", Nothing)
        {
            Properties = properties =>
            {
                properties.Expiration = "5000";
                properties.Timestamp = new AmqpTimestamp(1_796_000_000);
            },
        },
        new("long-correlation-id", "10", Answer10) { Properties = properties => properties.CorrelationId = string.Concat(Enumerable.Repeat("0123456789", 26))[..255] },

        new("bad request", "abc", new Expected("error:" + RpcErrorCodes.NotANumber, 0)),
        new("caller's own exclusive queue, any name", "10", Answer10) { Path = ReplyPath.OwnExclusive },
        new("reply_to a shared queue of another application", "10", Nothing) { Path = ReplyPath.Given, ReplyTo = "shared.orders" },
        new("reply_to the request queue", "10", Nothing) { Path = ReplyPath.Given, ReplyTo = "{queue}" },
        new("reply nacked by a full reply queue", "10", new Expected(null, 1)) { Path = ReplyPath.Full },
        new("reply refused 403 (the deployment's permissions)", "10", new Expected(null, 1)) { Fault = Fault.Forbidden },
        new("reply refused 403, requeue header the host cannot count", "10", new Expected(null, 1))
        {
            Fault = Fault.Forbidden,
            Properties = Header(RpcNames.RequeueCountHeader, Utf8("abc")),
            Function = Nothing,
            Why = "the Functions host would stall on a throw, and the service may publish nothing (no copy): dropped with a critical log line",
        },
        new("broker alarm while replying", "10", Answer10) { Fault = Fault.Alarm },
        new("host or worker crash mid-request", "10", Answer10) { CrashOnce = true },
        new("unreadable properties", "10", Answer10)
        {
            Unreadable = true,
            Why = "only the function can receive them (binding data that is not JSON); serve's RabbitMQ.Client parses every property, so serve gets the request readable and answers it",
            Function = new Expected(null, 1),
        },
    ];
}

/// <summary>Injects a <see cref="Fault"/> into the service's publishing (its replies and its own copies).</summary>
internal sealed class FaultyPublisher(IConfirmedPublisher inner, Fault fault) : IConfirmedPublisher
{
    private int _blocked;

    public Task<PublishOutcome> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case Fault.Forbidden:
                throw new PublishFailedException(PublishFailure.Forbidden, "simulated: 403 ACCESS_REFUSED - access to exchange 'amq.default' refused");
            case Fault.Alarm when !queue.StartsWith(FibRpc.Service.Handling.RequestService.WarmUpQueuePrefix, StringComparison.Ordinal) && Interlocked.Increment(ref _blocked) <= 2:
                throw new PublishFailedException(PublishFailure.Blocked, "simulated: the broker blocks publishing (memory alarm)");
            default:
                return inner.PublishAsync(queue, mandatory, properties, body, cancellationToken);
        }
    }
}

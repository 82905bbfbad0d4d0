using System.Text;
using FibRpc.Contract;
using FibRpc.Engine;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Binding;
using FibRpc.Service.Handling;
using FibRpc.Service.Replies;
using Microsoft.Extensions.Logging.Testing;

namespace FibRpc.Tests.Handling;

/// <summary>
/// Every decision of the service, over a test publisher. A plain answer and an error reply, with their properties, are
/// checked against a real broker by the integration tests (PoisonRequestTests, WireContractTests).
/// </summary>
public sealed class RequestServiceTests
{
    private static RequestProperties From(string? replyTo, string? correlationId = "c-1") =>
        new(replyTo, correlationId, RequestProperties.NoHeaders);

    private static RequestProperties WithHeader(string header, object value, bool redelivered = false) =>
        new("amq.gen-1", "c", new Dictionary<string, object?> { [header] = value }, Redelivered: redelivered);

    /// <summary>A publisher whose first publishes fail with these failures, in order.</summary>
    private static RecordingPublisher Failing(params PublishFailure[] failures) =>
        new(PublishOutcome.Confirmed, [.. failures.Select(failure => (Exception)RecordingPublisher.Failed(failure))]);

    /// <summary>One request through the service over <paramref name="publisher"/> (a healthy one by default).</summary>
    private static async Task<(RequestResult Result, RecordingPublisher Publisher)> Handle(
        string body, RequestProperties properties, RecordingPublisher? publisher = null, FibRpcOptions? options = null, IFibonacciEngine? engine = null, TimeProvider? clock = null)
    {
        publisher ??= new RecordingPublisher();
        var service = TestHandlers.Create(publisher, options: options, engine: engine, clock: clock);
        return (await service.HandleAsync(Encoding.UTF8.GetBytes(body), properties, CancellationToken.None), publisher);
    }

    [Fact]
    public async Task Request_without_reply_to_is_dropped_without_publishing_and_logged_with_its_correlation_id()
    {
        var publisher = new RecordingPublisher();
        var logger = new FakeLogger<RequestService>();
        var service = TestHandlers.Create(publisher, logger: logger);

        Assert.Equal(RequestOutcome.NoReplyTo, (await service.HandleAsync("5"u8.ToArray(), From(null, "nobody"), CancellationToken.None)).Outcome);
        Assert.Equal(RequestOutcome.NoReplyTo, (await service.HandleAsync("5"u8.ToArray(), From("  "), CancellationToken.None)).Outcome);
        Assert.Empty(publisher.Published);
        Assert.Contains(logger.Collector.GetSnapshot(), record => record.Message.Contains("nobody", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("amq.gen-Xa2Lk1", true)]
    [InlineData("amq.rabbitmq.reply-to", true)]
    [InlineData("amq.rabbitmq.reply-to.g1h2AA5yZXBseUAxMjM0NTY3OAAAAAAAAAAB.7u9lOmJWY2hKqgr1Zf4k7A==", true)]
    [InlineData("orders", false)]
    [InlineData("amq.rabbitmq.reply-tox", false)]
    [InlineData("billing.replies.7", true)]
    [InlineData("billing.replies", false)]
    [InlineData("audit-replies", true)]
    // A queue the service consumes stays refused, even where the allowed names take it in.
    [InlineData(RpcNames.Queue, false)]
    [InlineData(RpcNames.DeadLetterQueue, false)]
    [InlineData("custom_requests", false)]
    [InlineData("custom_requests.dead-letter", false)]
    [InlineData("another-consumed-queue", false)]
    public async Task Replies_go_only_to_allowed_targets_and_never_to_a_queue_the_service_consumes(string replyTo, bool allowed)
    {
        var options = new FibRpcOptions
        {
            RequestQueue = "custom_requests",
            ForbiddenReplyQueues = ["another-consumed-queue"],
            AllowedReplyQueues = ["audit-replies", "another-consumed-queue"],
            AllowedReplyQueuePrefixes = ["billing.replies.", "rpc_", "custom_"],
        };
        var (result, publisher) = await Handle("5", From(replyTo), options: options);
        Assert.Equal(allowed ? RequestOutcome.Answered : RequestOutcome.ReplyToRefused, result.Outcome);
        Assert.Equal(allowed ? 1 : 0, publisher.Published.Count);
    }

    [Fact]
    public async Task Unroutable_reply_is_reported_not_thrown()
    {
        var (result, publisher) = await Handle("5", From("amq.gen-gone"), new RecordingPublisher(PublishOutcome.Returned));
        Assert.Equal(RequestOutcome.ReplyUndeliverable, result.Outcome);
        Assert.Equal(("amq.gen-gone", true), Assert.Single(publisher.Attempts));
    }

    [Fact]
    public async Task Reply_the_broker_refuses_is_undeliverable_and_not_retried()
    {
        var (result, publisher) = await Handle("5", From("amq.rabbitmq.reply-to.g2dkAA5jaGFvc0Bsb2NhbGhvc3QAAAAAAAAAAAAAAAA=.Zm9v"), Failing(PublishFailure.Refused));
        Assert.Equal(RequestOutcome.ReplyUndeliverable, result.Outcome);
        Assert.False(Assert.Single(publisher.Attempts).Mandatory, "direct reply-to is published non-mandatory");
    }

    [Theory]
    // Nacks, confirm timeouts and lost connections are retried inside the service before the trigger sees them.
    [InlineData(new[] { PublishFailure.ConnectionLost, PublishFailure.Nacked }, RequestOutcome.Answered, Disposition.Ack, null, 3)]
    [InlineData(new[] { PublishFailure.ConnectionLost, PublishFailure.ConnectionLost, PublishFailure.TimedOut }, RequestOutcome.ReplyFailed, Disposition.Retry, "reply_confirm_timeout", 3)]
    // 403 on amq.default, or a refused ordinary reply queue: the deployment's fault, never the request's; never acked.
    [InlineData(new[] { PublishFailure.Forbidden }, RequestOutcome.ReplyFailed, Disposition.Retry, "reply_forbidden", 1)]
    [InlineData(new[] { PublishFailure.Refused }, RequestOutcome.ReplyFailed, Disposition.Retry, "reply_refused", 1)]
    // A block by the broker: the publisher has already waited BlockedWait each time; the service holds the request
    // until the block lifts and spends no attempt.
    [InlineData(new[] { PublishFailure.Blocked, PublishFailure.Blocked, PublishFailure.Blocked }, RequestOutcome.Answered, Disposition.Ack, null, 4)]
    public async Task A_failed_reply_publish_is_retried_inside_held_or_handed_back_as_a_retry(PublishFailure[] failures, RequestOutcome outcome, Disposition disposition, string? errorType, int attempts)
    {
        var (result, publisher) = await Handle("10", From("amq.gen-1"), Failing(failures));
        Assert.Equal((outcome, disposition, errorType, 1), (result.Outcome, result.Disposition, result.ErrorType, result.Attempt));
        Assert.Equal(attempts, publisher.Attempts.Count);
        Assert.Equal(outcome == RequestOutcome.Answered ? "55" : null, publisher.Published.Select(p => Encoding.ASCII.GetString(p.Body)).SingleOrDefault());
    }

    [Theory]
    [InlineData(3L, Disposition.Retry)]
    [InlineData(4L, Disposition.DeadLetter)]
    public async Task A_failed_reply_at_the_last_attempt_is_dead_lettered(long requeueCount, Disposition expected)
    {
        var (result, _) = await Handle("5", WithHeader(RpcNames.RequeueCountHeader, requeueCount), Failing(PublishFailure.ConnectionLost, PublishFailure.ConnectionLost, PublishFailure.ConnectionLost));
        Assert.Equal(expected, result.Disposition);
        Assert.Equal((int)requeueCount + 1, result.Attempt);
    }

    [Theory]
    [InlineData("text", RpcNames.RequeueCountHeader, "99999999999")]
    [InlineData("beyond int32", RpcNames.RequeueCountHeader, 1_099_511_627_776L)]
    [InlineData("int32 max", RpcNames.RequeueCountHeader, 2_147_483_647L)]
    [InlineData("negative", RpcNames.RequeueCountHeader, -3L)]
    [InlineData("beyond what any host writes", RpcNames.RequeueCountHeader, 5L)]
    [InlineData("a boolean", RpcNames.RequeueCountHeader, true)]
    [InlineData("a fraction", RpcNames.RequeueCountHeader, 1.5)]
    [InlineData("a delivery count on a first delivery was copied or forged", "x-delivery-count", 1_099_511_627_776L)]
    public async Task A_counter_nobody_could_have_written_does_not_deny_an_answer(string why, string header, object count)
    {
        var (result, publisher) = await Handle("10", WithHeader(header, count));
        Assert.True(result.Outcome == RequestOutcome.Answered, why);
        Assert.Equal(1, result.Attempt);
        Assert.Equal("55", Encoding.ASCII.GetString(Assert.Single(publisher.Published).Body));
    }

    [Theory]
    [InlineData(5L, false)]
    [InlineData(4L, true)]
    public async Task A_request_delivered_more_often_than_allowed_gets_an_attempts_exhausted_reply(long deliveryCount, bool computed)
    {
        var (result, publisher) = await Handle("10", WithHeader("x-delivery-count", deliveryCount, redelivered: true));
        var (_, properties, body) = Assert.Single(publisher.Published);
        if (computed)
        {
            Assert.Equal(RequestOutcome.Answered, result.Outcome);
            Assert.Equal("55", Encoding.ASCII.GetString(body));
        }
        else
        {
            Assert.Equal(RequestOutcome.AttemptsExhausted, result.Outcome);
            Assert.Equal(RpcErrorCodes.AttemptsExhausted, properties.Headers![RpcNames.ErrorCodeHeader]);
        }
    }

    [Fact]
    public async Task Engine_fault_becomes_an_internal_error_reply()
    {
        var (result, publisher) = await Handle("5", From("amq.gen-q"), engine: new FaultyEngine());
        Assert.Equal(RequestOutcome.InternalError, result.Outcome);
        Assert.Equal(RpcErrorCodes.Internal, Assert.Single(publisher.Published).Properties.Headers![RpcNames.ErrorCodeHeader]);
    }

    [Fact]
    public async Task Configured_limit_on_n_applies()
    {
        var (_, publisher) = await Handle("51", From("amq.gen-q"), options: new FibRpcOptions { MaxN = 50 });
        Assert.Equal(RpcErrorCodes.TooLarge, Assert.Single(publisher.Published).Properties.Headers![RpcNames.ErrorCodeHeader]);
    }

    [Fact]
    public async Task The_request_trace_context_is_never_copied_onto_the_reply()
    {
        // Traced or not (another test may listen), the reply names a span of the server, never the caller's.
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var (_, publisher) = await Handle("3", WithHeader("traceparent", traceParent));
        var replyHeaders = Assert.Single(publisher.Published).Properties.Headers;
        Assert.NotEqual(traceParent, replyHeaders?.TryGetValue("traceparent", out var sent) == true ? sent : null);
    }

    [Fact]
    public void The_back_off_grows_and_outlasts_one_recovery_interval()
    {
        Assert.Equal([250d, 1000d, 4000d], [.. Enumerable.Range(1, 3).Select(attempt => ReplySender.Backoff(attempt).TotalMilliseconds)]);
        Assert.True(ReplySender.Backoff(2) >= RabbitConnection.RecoveryInterval, "a second retry comes after the connection had a chance to recover");
        Assert.Equal(TimeSpan.FromSeconds(10), ReplySender.Backoff(9));
    }

    [Theory]
    // Published at 1796000000 (whole seconds) with a 5 s TTL: the caller waits until 1796000006 at the latest.
    [InlineData("5000", 1_796_000_000L, 1_796_000_002L, RequestOutcome.Answered)]
    [InlineData("5000", 1_796_000_000L, 1_796_000_006L, RequestOutcome.Answered)]
    [InlineData("5000", 1_796_000_000L, 1_796_000_007L, RequestOutcome.Expired)]
    // Without both a timestamp and a valid expiration nothing counts as expired.
    [InlineData(null, 1_796_000_000L, 2_000_000_000L, RequestOutcome.Answered)]
    [InlineData("5000", 0L, 2_000_000_000L, RequestOutcome.Answered)]
    [InlineData("soon", 1_796_000_000L, 2_000_000_000L, RequestOutcome.Answered)]
    [InlineData("-5", 1_796_000_000L, 2_000_000_000L, RequestOutcome.Answered)]
    public async Task A_request_whose_caller_gave_up_is_dropped_unanswered(string? expiration, long timestamp, long nowUnixSeconds, RequestOutcome expected)
    {
        var properties = new RequestProperties("amq.gen-1", "c", RequestProperties.NoHeaders, Expiration: expiration, Timestamp: timestamp);
        var (result, publisher) = await Handle("5", properties, clock: new FixedClock(DateTimeOffset.FromUnixTimeSeconds(nowUnixSeconds)));
        Assert.Equal(expected, result.Outcome);
        Assert.Equal(expected == RequestOutcome.Answered ? 1 : 0, publisher.Published.Count);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Warm_up_computes_and_publishes_once_to_a_queue_nobody_has_unmandatory()
    {
        var publisher = new RecordingPublisher();
        await TestHandlers.Create(publisher).WarmUpAsync(CancellationToken.None);
        var (queue, mandatory) = Assert.Single(publisher.Attempts);
        Assert.StartsWith(RequestService.WarmUpQueuePrefix, queue, StringComparison.Ordinal);
        Assert.False(mandatory, "the broker confirms and drops it; nothing comes back");
        Assert.Equal("55", Encoding.ASCII.GetString(Assert.Single(publisher.Published).Body));
    }

    [Fact]
    public async Task A_failed_warm_up_does_not_stop_the_start()
    {
        var publisher = Failing(PublishFailure.Forbidden);
        var warmUp = new ServiceWarmUp(TestHandlers.Create(publisher), Microsoft.Extensions.Logging.Abstractions.NullLogger<ServiceWarmUp>.Instance);
        await warmUp.WarmUpAsync();
        await warmUp.WarmUpAsync();
        Assert.Single(publisher.Attempts);
        Assert.Null(warmUp.Elapsed);
    }

    private sealed class FaultyEngine : IFibonacciEngine
    {
        public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default) => throw new InvalidOperationException("bug");
    }
}

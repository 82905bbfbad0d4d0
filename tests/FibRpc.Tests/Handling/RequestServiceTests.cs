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

public sealed class RequestServiceTests
{
    private static RequestService Handler(IConfirmedPublisher publisher, IFibonacciEngine? engine = null, FibRpcOptions? options = null, TimeProvider? clock = null) =>
        TestHandlers.Create(publisher, options: options, engine: engine, clock: clock);

    private static RequestProperties From(string? replyTo, string? correlationId = "c-1") =>
        new(replyTo, correlationId, RequestProperties.NoHeaders);

    [Fact]
    public async Task Valid_request_is_answered_with_the_decimal_value()
    {
        var publisher = new RecordingPublisher();
        var outcome = (await Handler(publisher).HandleAsync("30"u8.ToArray(), From("amq.gen-1"), CancellationToken.None)).Outcome;

        Assert.Equal(RequestOutcome.Answered, outcome);
        var (queue, properties, body) = Assert.Single(publisher.Published);
        Assert.Equal("amq.gen-1", queue);
        Assert.Equal("832040", Encoding.ASCII.GetString(body));
        Assert.Equal("c-1", properties.CorrelationId);
        Assert.Equal("text/plain", properties.ContentType);
        Assert.Null(properties.Type);
    }

    [Fact]
    public async Task Bad_request_is_answered_with_an_error_reply_and_returns_normally()
    {
        var publisher = new RecordingPublisher();
        var outcome = (await Handler(publisher).HandleAsync("-3"u8.ToArray(), From("amq.gen-1", "c-7"), CancellationToken.None)).Outcome;

        Assert.Equal(RequestOutcome.BadRequest, outcome);
        var (_, properties, body) = Assert.Single(publisher.Published);
        Assert.Equal("error", properties.Type);
        Assert.Equal("c-7", properties.CorrelationId);
        Assert.Equal(RpcErrorCodes.Negative, properties.Headers![RpcNames.ErrorCodeHeader]);
        Assert.StartsWith("error negative:", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
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
    [InlineData(RpcNames.Queue)]
    [InlineData(RpcNames.DeadLetterQueue)]
    [InlineData("custom_requests")]
    [InlineData("custom_requests.dead-letter")]
    [InlineData("another-consumed-queue")]
    public async Task Reply_to_a_queue_the_service_consumes_is_refused(string replyTo)
    {
        var publisher = new RecordingPublisher();
        var options = new FibRpcOptions { RequestQueue = "custom_requests", ForbiddenReplyQueues = ["another-consumed-queue"] };
        var outcome = (await Handler(publisher, options: options).HandleAsync("5"u8.ToArray(), From(replyTo), CancellationToken.None)).Outcome;
        Assert.Equal(RequestOutcome.ReplyToRefused, outcome);
        Assert.Empty(publisher.Published);
    }

    [Fact]
    public async Task Unroutable_reply_is_reported_not_thrown()
    {
        var publisher = new RecordingPublisher(PublishOutcome.Returned);
        Assert.Equal(RequestOutcome.ReplyUndeliverable, (await Handler(publisher).HandleAsync("5"u8.ToArray(), From("amq.gen-gone"), CancellationToken.None)).Outcome);
        Assert.Equal(("amq.gen-gone", true), Assert.Single(publisher.Attempts));
    }

    [Fact]
    public async Task Reply_the_broker_refuses_is_undeliverable_and_not_retried()
    {
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, RecordingPublisher.Failed(PublishFailure.Refused));
        var outcome = (await Handler(publisher).HandleAsync("5"u8.ToArray(), From("amq.rabbitmq.reply-to.g2dkAA5jaGFvc0Bsb2NhbGhvc3QAAAAAAAAAAAAAAAA=.Zm9v"), CancellationToken.None)).Outcome;
        Assert.Equal(RequestOutcome.ReplyUndeliverable, outcome);
        Assert.False(Assert.Single(publisher.Attempts).Mandatory, "direct reply-to is published non-mandatory");
    }

    [Fact]
    public async Task Transient_failures_are_retried_inside_the_service_before_the_trigger_sees_them()
    {
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, RecordingPublisher.Failed(), RecordingPublisher.Failed(PublishFailure.Nacked));
        var outcome = (await Handler(publisher).HandleAsync("10"u8.ToArray(), From("amq.gen-1"), CancellationToken.None)).Outcome;
        Assert.Equal(RequestOutcome.Answered, outcome);
        Assert.Equal(3, publisher.Attempts.Count);
        Assert.Equal("55", Encoding.ASCII.GetString(Assert.Single(publisher.Published).Body));
    }

    [Fact]
    public async Task Failure_to_publish_after_the_retries_is_decided_as_a_retry_of_the_request()
    {
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, RecordingPublisher.Failed(), RecordingPublisher.Failed(), RecordingPublisher.Failed(PublishFailure.TimedOut));
        var result = await Handler(publisher).HandleAsync("5"u8.ToArray(), From("amq.gen-1"), CancellationToken.None);
        Assert.Equal((RequestOutcome.ReplyFailed, Disposition.Retry, "reply_confirm_timeout", 1), (result.Outcome, result.Disposition, result.ErrorType, result.Attempt));
        Assert.Equal(3, publisher.Attempts.Count);
    }

    [Theory]
    [InlineData(3L, Disposition.Retry)]
    [InlineData(4L, Disposition.DeadLetter)]
    public async Task A_failed_reply_at_the_last_attempt_is_dead_lettered(long requeueCount, Disposition expected)
    {
        var failures = Enumerable.Range(0, 3).Select(_ => (Exception)RecordingPublisher.Failed()).ToArray();
        var headers = new Dictionary<string, object?> { [RpcNames.RequeueCountHeader] = requeueCount };
        var result = await Handler(new RecordingPublisher(PublishOutcome.Confirmed, failures)).HandleAsync("5"u8.ToArray(), new RequestProperties("amq.gen-1", "c", headers), CancellationToken.None);
        Assert.Equal(expected, result.Disposition);
        Assert.Equal((int)requeueCount + 1, result.Attempt);
    }

    [Fact]
    public async Task A_reply_the_deployment_may_not_publish_is_never_acked_it_is_retried_and_not_retried_inside()
    {
        // 403 on amq.default: the service's own permissions, never the request's fault.
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, RecordingPublisher.Failed(PublishFailure.Forbidden));
        var result = await Handler(publisher).HandleAsync("5"u8.ToArray(), From("amq.gen-1"), CancellationToken.None);
        Assert.Equal((RequestOutcome.ReplyFailed, Disposition.Retry, "reply_forbidden"), (result.Outcome, result.Disposition, result.ErrorType));
        Assert.Single(publisher.Attempts);
    }

    [Fact]
    public async Task A_refusal_of_an_ordinary_reply_queue_is_the_deployments_fault_and_retried()
    {
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, RecordingPublisher.Failed(PublishFailure.Refused));
        var result = await Handler(publisher).HandleAsync("5"u8.ToArray(), From("amq.gen-1"), CancellationToken.None);
        Assert.Equal(Disposition.Retry, result.Disposition);
    }

    [Fact]
    public async Task A_block_by_the_broker_holds_the_request_and_spends_no_attempt()
    {
        // The publisher has already waited BlockedWait each time; the service keeps holding until the block lifts.
        var blocked = Enumerable.Range(0, 3).Select(_ => (Exception)RecordingPublisher.Failed(PublishFailure.Blocked)).ToArray();
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, blocked);
        var result = await Handler(publisher).HandleAsync("10"u8.ToArray(), From("amq.gen-1"), CancellationToken.None);
        Assert.Equal((RequestOutcome.Answered, Disposition.Ack), (result.Outcome, result.Disposition));
        Assert.Equal(4, publisher.Attempts.Count);
    }

    [Theory]
    [InlineData("text", "99999999999")]
    [InlineData("beyond int32", 1_099_511_627_776L)]
    [InlineData("int32 max", 2_147_483_647L)]
    [InlineData("negative", -3L)]
    [InlineData("beyond what any host writes", 5L)]
    [InlineData("a boolean", true)]
    [InlineData("a fraction", 1.5)]
    public async Task A_counter_nobody_could_have_written_does_not_deny_an_answer(string why, object requeueCount)
    {
        var publisher = new RecordingPublisher();
        var headers = new Dictionary<string, object?> { [RpcNames.RequeueCountHeader] = requeueCount };
        var result = await Handler(publisher).HandleAsync("10"u8.ToArray(), new RequestProperties("amq.gen-1", "c", headers), CancellationToken.None);
        Assert.True(result.Outcome == RequestOutcome.Answered, why);
        Assert.Equal(1, result.Attempt);
        Assert.Equal("55", Encoding.ASCII.GetString(Assert.Single(publisher.Published).Body));
    }

    [Fact]
    public async Task A_delivery_count_on_a_first_delivery_was_copied_or_forged_and_is_not_counted()
    {
        var publisher = new RecordingPublisher();
        var headers = new Dictionary<string, object?> { ["x-delivery-count"] = 1_099_511_627_776L };
        var result = await Handler(publisher).HandleAsync("10"u8.ToArray(), new RequestProperties("amq.gen-1", "c", headers), CancellationToken.None);
        Assert.Equal((RequestOutcome.Answered, 1), (result.Outcome, result.Attempt));
    }

    [Theory]
    [InlineData(5L, false)]
    [InlineData(4L, true)]
    public async Task A_request_delivered_more_often_than_allowed_gets_an_attempts_exhausted_reply(long deliveryCount, bool computed)
    {
        var publisher = new RecordingPublisher();
        var headers = new Dictionary<string, object?> { ["x-delivery-count"] = deliveryCount };
        var outcome = (await Handler(publisher).HandleAsync("10"u8.ToArray(), new RequestProperties("amq.gen-1", "c", headers, Redelivered: true), CancellationToken.None)).Outcome;
        var (_, properties, body) = Assert.Single(publisher.Published);
        if (computed)
        {
            Assert.Equal(RequestOutcome.Answered, outcome);
            Assert.Equal("55", Encoding.ASCII.GetString(body));
        }
        else
        {
            Assert.Equal(RequestOutcome.AttemptsExhausted, outcome);
            Assert.Equal(RpcErrorCodes.AttemptsExhausted, properties.Headers![RpcNames.ErrorCodeHeader]);
        }
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
    public async Task Replies_go_only_to_allowed_targets(string replyTo, bool allowed)
    {
        var publisher = new RecordingPublisher();
        var options = new FibRpcOptions { AllowedReplyQueues = ["audit-replies"], AllowedReplyQueuePrefixes = ["billing.replies."] };
        var outcome = (await Handler(publisher, options: options).HandleAsync("5"u8.ToArray(), From(replyTo), CancellationToken.None)).Outcome;
        Assert.Equal(allowed ? RequestOutcome.Answered : RequestOutcome.ReplyToRefused, outcome);
        Assert.Equal(allowed ? 1 : 0, publisher.Published.Count);
    }

    [Fact]
    public async Task A_queue_the_service_consumes_stays_refused_even_when_configured_as_allowed()
    {
        var publisher = new RecordingPublisher();
        var options = new FibRpcOptions { AllowedReplyQueuePrefixes = ["rpc_"] };
        Assert.Equal(RequestOutcome.ReplyToRefused, (await Handler(publisher, options: options).HandleAsync("5"u8.ToArray(), From(RpcNames.Queue), CancellationToken.None)).Outcome);
        Assert.Empty(publisher.Published);
    }

    [Fact]
    public async Task Engine_fault_becomes_an_internal_error_reply()
    {
        var publisher = new RecordingPublisher();
        var outcome = (await Handler(publisher, new FaultyEngine()).HandleAsync("5"u8.ToArray(), From("amq.gen-q"), CancellationToken.None)).Outcome;
        Assert.Equal(RequestOutcome.InternalError, outcome);
        Assert.Equal(RpcErrorCodes.Internal, Assert.Single(publisher.Published).Properties.Headers![RpcNames.ErrorCodeHeader]);
    }

    [Fact]
    public async Task Configured_limit_on_n_applies()
    {
        var publisher = new RecordingPublisher();
        await Handler(publisher, options: new FibRpcOptions { MaxN = 50 }).HandleAsync("51"u8.ToArray(), From("amq.gen-q"), CancellationToken.None);
        Assert.Equal(RpcErrorCodes.TooLarge, Assert.Single(publisher.Published).Properties.Headers![RpcNames.ErrorCodeHeader]);
    }

    [Fact]
    public async Task The_request_trace_context_is_never_copied_onto_the_reply()
    {
        // Traced or not (another test may listen), the reply names a span of the server, never the caller's.
        var publisher = new RecordingPublisher();
        var headers = new Dictionary<string, object?> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
        await Handler(publisher).HandleAsync("3"u8.ToArray(), new RequestProperties("amq.gen-q", "c", headers), CancellationToken.None);
        var replyHeaders = Assert.Single(publisher.Published).Properties.Headers;
        Assert.NotEqual(headers["traceparent"], replyHeaders?.TryGetValue("traceparent", out var sent) == true ? sent : null);
    }

    [Fact]
    public void The_back_off_grows_and_outlasts_one_recovery_interval()
    {
        Assert.Equal([250d, 1000d, 4000d], [.. Enumerable.Range(1, 3).Select(attempt => ReplySender.Backoff(attempt).TotalMilliseconds)]);
        Assert.True(ReplySender.Backoff(2) >= RabbitConnection.RecoveryInterval, "a second retry comes after the connection had a chance to recover");
        Assert.Equal(TimeSpan.FromSeconds(10), ReplySender.Backoff(9));
    }

    [Theory]
    [InlineData(1_796_000_002L, RequestOutcome.Answered)]
    [InlineData(1_796_000_006L, RequestOutcome.Answered)]
    [InlineData(1_796_000_007L, RequestOutcome.Expired)]
    public async Task A_request_whose_caller_gave_up_is_dropped_unanswered(long nowUnixSeconds, RequestOutcome expected)
    {
        // Published at 1796000000 (whole seconds) with a 5 s TTL: the caller waits until 1796000006 at the latest.
        var publisher = new RecordingPublisher();
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(nowUnixSeconds));
        var properties = new RequestProperties("amq.gen-1", "c", RequestProperties.NoHeaders, Expiration: "5000", Timestamp: 1_796_000_000);
        Assert.Equal(expected, (await Handler(publisher, clock: clock).HandleAsync("5"u8.ToArray(), properties, CancellationToken.None)).Outcome);
        Assert.Equal(expected == RequestOutcome.Answered ? 1 : 0, publisher.Published.Count);
    }

    [Theory]
    [InlineData(null, 1_796_000_000L)]
    [InlineData("5000", 0L)]
    [InlineData("soon", 1_796_000_000L)]
    [InlineData("-5", 1_796_000_000L)]
    public async Task Without_both_a_timestamp_and_a_valid_expiration_nothing_counts_as_expired(string? expiration, long timestamp)
    {
        var publisher = new RecordingPublisher();
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(2_000_000_000));
        var properties = new RequestProperties("amq.gen-1", "c", RequestProperties.NoHeaders, Expiration: expiration, Timestamp: timestamp);
        Assert.Equal(RequestOutcome.Answered, (await Handler(publisher, clock: clock).HandleAsync("5"u8.ToArray(), properties, CancellationToken.None)).Outcome);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Warm_up_computes_and_publishes_once_to_a_queue_nobody_has_unmandatory()
    {
        var publisher = new RecordingPublisher();
        await Handler(publisher).WarmUpAsync(CancellationToken.None);
        var (queue, mandatory) = Assert.Single(publisher.Attempts);
        Assert.StartsWith(RequestService.WarmUpQueuePrefix, queue, StringComparison.Ordinal);
        Assert.False(mandatory, "the broker confirms and drops it; nothing comes back");
        Assert.Equal("55", Encoding.ASCII.GetString(Assert.Single(publisher.Published).Body));
    }

    [Fact]
    public async Task A_failed_warm_up_does_not_stop_the_start()
    {
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, RecordingPublisher.Failed(PublishFailure.Forbidden));
        var warmUp = new ServiceWarmUp(Handler(publisher), Microsoft.Extensions.Logging.Abstractions.NullLogger<ServiceWarmUp>.Instance);
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

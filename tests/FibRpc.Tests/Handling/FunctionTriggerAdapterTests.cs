using System.Text;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Service.Handling;
using RabbitMQ.Client;

namespace FibRpc.Tests.Handling;

/// <summary>
/// The function's adapter carries the service's decision out with the Functions host's two moves (return, throw), and
/// does in the host's place what the host cannot: a retry or dead-letter copy for a request whose requeue header the
/// host could not count, a dead-letter copy before the host's fifth attempt.
/// </summary>
public sealed class FunctionTriggerAdapterTests
{
    private static Dictionary<string, object?> BindingData(string headersJson = "null", bool redelivered = false) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["BasicProperties"] = $$"""{"ContentType":null,"Headers":{{headersJson}},"DeliveryMode":2,"CorrelationId":"c-1","ReplyTo":"amq.gen-r","Expiration":"60000","MessageId":"m-1","Timestamp":{"UnixTime":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"Type":"fib"}""",
        ["Redelivered"] = redelivered ? "true" : "false",
    };

    private static Exception[] FailingReplies(int count = 1) =>
        [.. Enumerable.Range(0, count).Select(_ => (Exception)RecordingPublisher.Failed(PublishFailure.Nacked))];

    [Theory]
    [InlineData("null", Disposition.Retry, 1)]
    // At the host's fifth attempt a throw makes the host dead-letter.
    [InlineData($$"""{"{{RpcNames.RequeueCountHeader}}":4}""", Disposition.DeadLetter, 5)]
    public async Task A_reply_that_fails_is_thrown_to_the_host_which_can_count_it(string headersJson, Disposition disposition, int attempt)
    {
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, FailingReplies(3));
        var thrown = await Assert.ThrowsAsync<RequestRetryException>(() => TestHandlers.Function(publisher).HandleAsync("10"u8.ToArray(), BindingData(headersJson), CancellationToken.None));
        Assert.Equal((disposition, attempt), (thrown.Result.Disposition, thrown.Result.Attempt));
    }

    [Fact]
    public async Task Dead_lettered_before_the_hosts_fifth_attempt_the_service_copies_it_into_the_dead_letter_queue()
    {
        // Delivered 5 times before by a quorum queue (a crash loop the host's own header never saw), and the reply fails.
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, FailingReplies(3));
        var result = await TestHandlers.Function(publisher).HandleAsync("10"u8.ToArray(), BindingData("""{"x-delivery-count":5}""", redelivered: true), CancellationToken.None);

        Assert.Equal(Disposition.DeadLetter, result.Disposition);
        var (queue, copy, body) = Assert.Single(publisher.Published);
        Assert.Equal(RpcNames.DeadLetterQueue, queue);
        Assert.Equal("10", Encoding.ASCII.GetString(body));
        Assert.Equal(("c-1", "amq.gen-r", "m-1", "60000", "fib"), (copy.CorrelationId, copy.ReplyTo, copy.MessageId, copy.Expiration, copy.Type));
        Assert.Equal(DeliveryModes.Persistent, copy.DeliveryMode);
        Assert.Equal("reply_nacked", copy.Headers![RequestCopy.DeadLetterReasonHeader]);
        Assert.False(copy.Headers.ContainsKey("x-delivery-count"), "the broker's count belongs to the original message");
    }

    [Theory]
    [InlineData("\"YWJj\"")]
    [InlineData("1099511627776")]
    [InlineData("{\"a\":1}")]
    public async Task A_retry_the_host_could_not_count_is_a_confirmed_copy_with_every_property_and_a_clean_count(string requeueHeaderJson)
    {
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, FailingReplies(3));
        var result = await TestHandlers.Function(publisher).HandleAsync("10"u8.ToArray(), BindingData($$"""{"{{RpcNames.RequeueCountHeader}}":{{requeueHeaderJson}}}"""), CancellationToken.None);

        Assert.Equal(Disposition.Retry, result.Disposition);
        var (queue, copy, _) = Assert.Single(publisher.Published);
        Assert.Equal(RpcNames.Queue, queue);
        Assert.Equal(1, copy.Headers![RpcNames.RequeueCountHeader]);
        Assert.Equal(("60000", true), (copy.Expiration, copy.Timestamp.UnixTime > 0));
    }

    [Fact]
    public async Task When_nothing_can_be_published_a_request_the_host_could_not_count_is_dropped_not_thrown()
    {
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, [.. Enumerable.Range(0, 2).Select(_ => (Exception)RecordingPublisher.Failed(PublishFailure.Forbidden))]);
        var result = await TestHandlers.Function(publisher).HandleAsync("10"u8.ToArray(), BindingData($$"""{"{{RpcNames.RequeueCountHeader}}":"YWJj"}"""), CancellationToken.None);
        Assert.Equal(Disposition.Retry, result.Disposition);
        Assert.Equal(2, publisher.Attempts.Count);
        Assert.Empty(publisher.Published);
    }

    [Fact]
    public async Task Unreadable_binding_data_is_copied_into_the_dead_letter_queue_and_never_thrown()
    {
        var publisher = new RecordingPublisher();
        var bindingData = new Dictionary<string, object?> { ["BasicProperties"] = "{not json" };
        var result = await TestHandlers.Function(publisher).HandleAsync("5"u8.ToArray(), bindingData, CancellationToken.None);
        Assert.Equal((RequestOutcome.Unreadable, Disposition.DeadLetter), (result.Outcome, result.Disposition));
        var (queue, copy, _) = Assert.Single(publisher.Published);
        Assert.Equal(RpcNames.DeadLetterQueue, queue);
        Assert.Equal("unreadable", copy.Headers![RequestCopy.DeadLetterReasonHeader]);

        var refusing = new RecordingPublisher(PublishOutcome.Confirmed, RecordingPublisher.Failed(PublishFailure.Forbidden));
        Assert.Equal(Disposition.DeadLetter, (await TestHandlers.Function(refusing).HandleAsync("5"u8.ToArray(), bindingData, CancellationToken.None)).Disposition);
    }
}

using System.Text;
using FibRpc.Contract;
using FibRpc.Engine;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Binding;
using FibRpc.Service.Handling;
using FibRpc.Service.Replies;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FibRpc.Tests.Handling;

public sealed class RequestHandlerTests
{
    private static RequestHandler Handler(IConfirmedPublisher publisher, IFibonacciEngine? engine = null, FibRpcOptions? options = null)
    {
        var settings = Options.Create(options ?? new FibRpcOptions());
        return new RequestHandler(engine ?? new FibonacciEngine(), publisher, new ReplyPolicy(settings), settings, NullLogger<RequestHandler>.Instance);
    }

    private static RequestProperties From(string? replyTo, string? correlationId = "c-1") =>
        new(replyTo, correlationId, 0, RequestProperties.NoHeaders);

    [Fact]
    public async Task Valid_request_is_answered_with_the_decimal_value()
    {
        var publisher = new RecordingPublisher();
        var outcome = await Handler(publisher).HandleAsync("30"u8.ToArray(), From("amq.gen-1"), CancellationToken.None);

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
        var outcome = await Handler(publisher).HandleAsync("-3"u8.ToArray(), From("amq.gen-1", "c-7"), CancellationToken.None);

        Assert.Equal(RequestOutcome.Rejected, outcome);
        var (_, properties, body) = Assert.Single(publisher.Published);
        Assert.Equal("error", properties.Type);
        Assert.Equal("c-7", properties.CorrelationId);
        Assert.Equal(RpcErrorCodes.Negative, properties.Headers![RpcNames.ErrorCodeHeader]);
        Assert.StartsWith("error negative:", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_without_reply_to_is_dropped_without_publishing()
    {
        var publisher = new RecordingPublisher();
        Assert.Equal(RequestOutcome.NoReplyTo, await Handler(publisher).HandleAsync("5"u8.ToArray(), From(null), CancellationToken.None));
        Assert.Equal(RequestOutcome.NoReplyTo, await Handler(publisher).HandleAsync("5"u8.ToArray(), From("  "), CancellationToken.None));
        Assert.Empty(publisher.Published);
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
        var outcome = await Handler(publisher, options: options).HandleAsync("5"u8.ToArray(), From(replyTo), CancellationToken.None);
        Assert.Equal(RequestOutcome.ForbiddenReplyTo, outcome);
        Assert.Empty(publisher.Published);
    }

    [Fact]
    public async Task Unroutable_reply_is_reported_not_thrown()
    {
        var publisher = new RecordingPublisher(PublishOutcome.Returned);
        Assert.Equal(RequestOutcome.ReplyUnroutable, await Handler(publisher).HandleAsync("5"u8.ToArray(), From("gone"), CancellationToken.None));
    }

    [Fact]
    public async Task Failure_to_publish_is_thrown_so_the_trigger_retries()
    {
        var publisher = new RecordingPublisher(failure: new TimeoutException("no confirm"));
        await Assert.ThrowsAsync<TimeoutException>(() => Handler(publisher).HandleAsync("5"u8.ToArray(), From("q"), CancellationToken.None));
    }

    [Fact]
    public async Task Engine_fault_becomes_an_internal_error_reply()
    {
        var publisher = new RecordingPublisher();
        var outcome = await Handler(publisher, new FaultyEngine()).HandleAsync("5"u8.ToArray(), From("q"), CancellationToken.None);
        Assert.Equal(RequestOutcome.Rejected, outcome);
        Assert.Equal(RpcErrorCodes.Internal, Assert.Single(publisher.Published).Properties.Headers![RpcNames.ErrorCodeHeader]);
    }

    [Fact]
    public async Task Configured_limit_on_n_applies()
    {
        var publisher = new RecordingPublisher();
        await Handler(publisher, options: new FibRpcOptions { MaxN = 50 }).HandleAsync("51"u8.ToArray(), From("q"), CancellationToken.None);
        Assert.Equal(RpcErrorCodes.TooLarge, Assert.Single(publisher.Published).Properties.Headers![RpcNames.ErrorCodeHeader]);
    }

    [Fact]
    public async Task Trace_context_of_the_request_goes_on_the_reply()
    {
        var publisher = new RecordingPublisher();
        var headers = new Dictionary<string, object?> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
        await Handler(publisher).HandleAsync("3"u8.ToArray(), new RequestProperties("q", "c", 0, headers), CancellationToken.None);
        Assert.Equal(headers["traceparent"], Assert.Single(publisher.Published).Properties.Headers!["traceparent"]);
    }

    private sealed class FaultyEngine : IFibonacciEngine
    {
        public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default) => throw new InvalidOperationException("bug");
    }
}

using System.Diagnostics;
using FibRpc.Contract;
using FibRpc.Messaging.Telemetry;
using FibRpc.Service.Binding;
using FibRpc.Tests.Binding;
using FibRpc.Tests.Handling;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace FibRpc.Tests.Telemetry;

/// <summary>
/// The service's spans as an OpenTelemetry SDK with the in-memory exporter records them. Listeners are global, so
/// every assertion picks this test's spans by their trace (and correlation id).
/// </summary>
public sealed class RequestTracingTests : IDisposable
{
    private readonly List<Activity> _exported = [];
    private readonly TracerProvider _tracing;

    public RequestTracingTests()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(FibRpcTelemetry.Name).AddInMemoryExporter(_exported).Build()!;
    }

    public void Dispose() => _tracing.Dispose();

    private List<Activity> SpansOf(ActivityTraceId trace, string correlationId)
    {
        lock (_exported)
        {
            return [.. _exported.Where(span => span.TraceId == trace && (string?)span.GetTagItem(MessagingAttributes.ConversationId) is { } id && id == correlationId
                || span.TraceId == trace && span.OperationName == "compute fibonacci")];
        }
    }

    private static (ActivityTraceId Trace, ActivitySpanId Span, Dictionary<string, object?> Headers) CallerContext()
    {
        var trace = ActivityTraceId.CreateRandom();
        var span = ActivitySpanId.CreateRandom();
        return (trace, span, new Dictionary<string, object?> { ["traceparent"] = $"00-{trace}-{span}-01" });
    }

    [Fact]
    public async Task The_process_span_is_a_child_of_the_caller_and_the_reply_names_the_server()
    {
        var (trace, caller, headers) = CallerContext();
        var publisher = new RecordingPublisher();

        await TestHandlers.Create(publisher).HandleAsync("1000"u8.ToArray(), new RequestProperties("amq.gen-r", "c-trace", headers), CancellationToken.None);

        var spans = SpansOf(trace, "c-trace");
        var process = Assert.Single(spans, span => span.Kind == ActivityKind.Consumer);
        Assert.Equal($"process {RpcNames.Queue}", process.DisplayName);
        Assert.Equal(caller, process.ParentSpanId);
        Assert.Equal("rabbitmq", process.GetTagItem(MessagingAttributes.System));
        Assert.Equal("process", process.GetTagItem(MessagingAttributes.OperationType));
        Assert.Equal(RpcNames.Queue, process.GetTagItem(MessagingAttributes.DestinationName));
        Assert.Equal(RpcNames.Queue, process.GetTagItem(MessagingAttributes.RoutingKey));
        Assert.Equal(4, process.GetTagItem(MessagingAttributes.BodySize));
        Assert.Null(process.GetTagItem(MessagingAttributes.ErrorType));

        var compute = Assert.Single(spans, span => span.OperationName == "compute fibonacci");
        Assert.Equal(process.SpanId, compute.ParentSpanId);
        Assert.Equal(1000, compute.GetTagItem("fibrpc.n"));
        Assert.Equal(209, compute.GetTagItem("fibrpc.digits"));

        var send = Assert.Single(spans, span => span.Kind == ActivityKind.Producer);
        Assert.Equal(process.SpanId, send.ParentSpanId);
        Assert.Equal("send (temporary)", send.DisplayName);
        Assert.Equal("amq.gen-r", send.GetTagItem(MessagingAttributes.DestinationName));
        Assert.Equal(209, send.GetTagItem(MessagingAttributes.BodySize));

        // The reply names the server's publishing span, in the caller's trace: never a copy of the request's header.
        var reply = Assert.Single(publisher.Published).Properties;
        Assert.Equal($"00-{trace}-{send.SpanId}-01", reply.Headers!["traceparent"]);
    }

    [Theory]
    [InlineData("-4", 0, RpcErrorCodes.Negative, "bad_request")]
    // A reply that cannot be published: the error type on the send span too, and the request retried.
    [InlineData("5", 3, "reply_nacked", "retried")]
    public async Task A_failed_request_sets_error_type_and_outcome_on_its_spans(string body, int nacks, string errorType, string outcome)
    {
        var (trace, _, headers) = CallerContext();
        var publisher = new RecordingPublisher(FibRpc.Messaging.PublishOutcome.Confirmed, [.. Enumerable.Range(0, nacks).Select(_ => (Exception)RecordingPublisher.Failed(FibRpc.Messaging.PublishFailure.Nacked))]);

        await TestHandlers.Create(publisher).HandleAsync(System.Text.Encoding.ASCII.GetBytes(body), new RequestProperties("amq.gen-r", "c-" + errorType, headers), CancellationToken.None);

        var spans = SpansOf(trace, "c-" + errorType);
        var process = Assert.Single(spans, span => span.Kind == ActivityKind.Consumer);
        Assert.Equal((errorType, outcome), (process.GetTagItem(MessagingAttributes.ErrorType), process.GetTagItem("fibrpc.outcome")));
        Assert.Equal(ActivityStatusCode.Error, process.Status);
        Assert.Equal(nacks > 0 ? errorType : null, Assert.Single(spans, span => span.Kind == ActivityKind.Producer).GetTagItem(MessagingAttributes.ErrorType));
    }

    [Fact]
    public async Task The_function_path_continues_the_trace_named_in_the_binding_data()
    {
        // Binding data as the Functions host hands it to the isolated worker: headers base64, decoded by the reader.
        var publisher = new RecordingPublisher();

        await TestHandlers.Function(publisher).HandleAsync("7"u8.ToArray(), BindingDataFixtures.Case("traceparent-and-tracestate"), CancellationToken.None);

        var trace = ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c");
        var process = Assert.Single(SpansOf(trace, "traceparent-and-tracestate"), span => span.Kind == ActivityKind.Consumer);
        Assert.Equal(ActivitySpanId.CreateFromString("b7ad6b7169203331"), process.ParentSpanId);
        Assert.Equal("congo=t61rcWkgMzE", process.TraceStateString);
        var reply = Assert.Single(publisher.Published).Properties;
        Assert.StartsWith("00-0af7651916cd43dd8448eb211c80319c-", (string)reply.Headers!["traceparent"]!, StringComparison.Ordinal);
        Assert.NotEqual("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", reply.Headers["traceparent"]);
        Assert.Equal("congo=t61rcWkgMzE", reply.Headers["tracestate"]);
    }
}

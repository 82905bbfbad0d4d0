using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace FibRpc.IntegrationTests;

/// <summary>One trace across client, broker and service; the metrics of fibrpc serve as Prometheus and OTLP receive them.</summary>
public sealed partial class TelemetryTests(Broker broker) : BrokerTest(broker, "telemetry")
{
    private const string RabbitMqPublisherSource = "RabbitMQ.Client.Publisher";

    [InProcessFact]
    public async Task One_call_is_one_trace_from_the_client_span_through_the_server_span_and_back()
    {
        var exported = new List<Activity>();
        // RabbitMQ.Client's own publisher source is listened to as well: its spans must not take over the headers.
        // This test wires OpenTelemetry itself, so it installs what AddFibRpcTelemetry would.
        LibraryContextInjector.Install();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(FibRpcTelemetry.Name, RabbitMqPublisherSource).AddInMemoryExporter(exported).Build();
        await using var service = await ServiceUnderTest.StartAsync(Queue);
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = Queue });

        // A root of the test's own, so that this test's spans are told apart from any other test's.
        // Sampled, or the SDK's parent-based sampler would record none of its children.
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        root.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        Assert.Equal(Reference.Fibonacci(100), await client.CallAsync(100));
        await Assert.ThrowsAsync<FibRpcErrorReplyException>(() => client.CallRawAsync("-4"u8.ToArray()));
        root.Stop();

        List<Activity> Spans()
        {
            lock (exported)
            {
                return [.. exported.Where(span => span.TraceId == root.TraceId)];
            }
        }

        // The server's span ends after the reply is confirmed, which may be after the client has it.
        await Eventually.TrueAsync(() => Task.FromResult(Spans().Count(span => span.Source.Name == FibRpcTelemetry.Name && span.Kind == ActivityKind.Consumer) == 2), "both process spans are exported");
        var spans = Spans();
        var calls = spans.Where(span => span.Source.Name == FibRpcTelemetry.Name && span.Kind == ActivityKind.Producer && span.DisplayName == $"send {Queue}").ToList();
        Assert.Equal(2, calls.Count);
        foreach (var call in calls)
        {
            Assert.Equal(root.SpanId, call.ParentSpanId);
            var process = Assert.Single(spans, span => span.Kind == ActivityKind.Consumer && span.ParentSpanId == call.SpanId);
            Assert.Equal($"process {Queue}", process.DisplayName);
            Assert.Equal(call.GetTagItem(MessagingAttributes.ConversationId), process.GetTagItem(MessagingAttributes.ConversationId));

            // The reply carried the server's publishing span, and the client linked its call to it; the library's
            // publish spans exist (as children of ours) but named neither message.
            var reply = Assert.Single(spans, span => span.Source.Name == FibRpcTelemetry.Name && span.Kind == ActivityKind.Producer && span.ParentSpanId == process.SpanId);
            Assert.Contains(call.Links, link => link.Context.SpanId == reply.SpanId && link.Context.TraceId == root.TraceId);
            Assert.Contains(spans, span => span.Source.Name == RabbitMqPublisherSource && span.ParentSpanId == call.SpanId);
            Assert.Contains(spans, span => span.Source.Name == RabbitMqPublisherSource && span.ParentSpanId == reply.SpanId);
        }

        var failed = Assert.Single(calls, call => call.GetTagItem(MessagingAttributes.ErrorType) is not null);
        Assert.Equal(RpcErrorCodes.Negative, failed.GetTagItem(MessagingAttributes.ErrorType));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(RpcErrorCodes.Negative, Assert.Single(spans, span => span.Kind == ActivityKind.Consumer && span.ParentSpanId == failed.SpanId).GetTagItem(MessagingAttributes.ErrorType));
    }

    [InProcessFact]
    public async Task Serve_exposes_the_requests_by_outcome_in_Prometheus_text_sends_OTLP_for_its_service_name_and_logs_json_with_trace_ids()
    {
        var otlpPort = FreePort.Next();
        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://localhost:{otlpPort}/");
        receiver.Start();
        var received = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>();
        var receiving = Task.Run(async () =>
        {
            while (receiver.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await receiver.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.AddOrUpdate(context.Request.Url!.AbsolutePath, body.ToArray(), (_, _) => body.ToArray());
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        var port = FreePort.Next();
        using var serve = new ChildProcess("dotnet", [FibRpcCli.Dll, "serve", "--queue", Queue, "--connection", Broker.Uri, "--metrics-port", $"{port}", "--log-format", "json", "--log-level", "Debug"], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://localhost:{otlpPort}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "fibrpc-otlp-test",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });
        await Eventually.TrueAsync(async () => await Broker.ConsumerCountAsync(Queue) == 1, $"fibrpc serve consumes. Output:\n{serve.Output}");
        await using (var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = Queue }))
        {
            foreach (var n in new[] { 10, 20, 30 })
            {
                await client.CallAsync(n);
            }

            await Assert.ThrowsAsync<FibRpcErrorReplyException>(() => client.CallRawAsync("-1"u8.ToArray()));
            await Assert.ThrowsAsync<FibRpcErrorReplyException>(() => client.CallRawAsync("x"u8.ToArray()));
        }

        using var http = new HttpClient();
        var text = "";
        await Eventually.TrueAsync(async () =>
        {
            text = await http.GetStringAsync(new Uri($"http://localhost:{port}/metrics"));
            return Counter(text, "ok", null) == 3;
        }, $"/metrics counts 3 ok requests. Output:\n{serve.Output}");
        Assert.Equal(1, Counter(text, "bad_request", RpcErrorCodes.Negative));
        Assert.Equal(1, Counter(text, "bad_request", RpcErrorCodes.NotANumber));
        Assert.Contains("fibrpc_computation_duration_seconds_bucket", text, StringComparison.Ordinal);

        // One instrument per measurement: the time and the count of requests come from messaging.process.duration alone.
        Assert.DoesNotContain("fibrpc_requests_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain("fibrpc_processing_duration_seconds", text, StringComparison.Ordinal);

        bool Carries(string path, string fragment) =>
            received.TryGetValue(path, out var body) && body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(fragment)) >= 0;
        await Eventually.TrueAsync(() => Task.FromResult(Carries("/v1/traces", $"process {Queue}") && Carries("/v1/traces", "fibrpc-otlp-test")),
            $"the process span reaches /v1/traces for the service. Output:\n{serve.Output}");
        await Eventually.TrueAsync(() => Task.FromResult(Carries("/v1/metrics", "messaging.process.duration") && Carries("/v1/metrics", "fibrpc-otlp-test")),
            $"messaging.process.duration reaches /v1/metrics for the service. Output:\n{serve.Output}");

        // The debug line of an answer is written inside the process span: its JSON carries the span's ids.
        var answered = serve.Output.Split('\n').First(line => line.Contains("answered", StringComparison.Ordinal));
        using var entry = System.Text.Json.JsonDocument.Parse(answered);
        var scopes = entry.RootElement.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, scope => scope.TryGetProperty("TraceId", out var id) && id.GetString()!.Length == 32);
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        receiver.Stop();
        await receiving;
    }

    [InProcessFact]
    public async Task Console_traces_of_fibrpc_call_and_serve_are_one_trace_with_the_call_as_parent()
    {
        var console = new Dictionary<string, string> { ["OTEL_TRACES_EXPORTER"] = "console" };
        using var serve = new ChildProcess("dotnet", [FibRpcCli.Dll, "serve", "--queue", Queue, "--connection", Broker.Uri], console);
        await Eventually.TrueAsync(async () => await Broker.ConsumerCountAsync(Queue) == 1, $"fibrpc serve consumes. Output:\n{serve.Output}");
        using (var call = new ChildProcess("dotnet", [FibRpcCli.Dll, "call", "12", "--queue", Queue, "--connection", Broker.Uri], console))
        {
            Assert.True(0 == await call.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"fibrpc call failed:\n{call.Output}");
            var send = Assert.Single(ConsoleSpans(call.Output), span => span.Name == $"send {Queue}");
            Assert.Contains("144", call.Output, StringComparison.Ordinal);
            Assert.Contains("service.name: fibrpc-client", call.Output, StringComparison.Ordinal);

            // serve exports each span when it ends; the process span ends after the reply is confirmed.
            await Eventually.TrueAsync(() => Task.FromResult(ConsoleSpans(serve.Output).Any(span => span.Name == $"process {Queue}")),
                $"serve prints its process span. Output:\n{serve.Output}");
            var spans = ConsoleSpans(serve.Output);
            var process = Assert.Single(spans, span => span.Name == $"process {Queue}");
            Assert.Equal(send.TraceId, process.TraceId);
            Assert.Equal(send.SpanId, process.ParentSpanId);
            Assert.All(spans, span => Assert.Equal(send.TraceId, span.TraceId));
            Assert.Contains(spans, span => span.Name == "compute fibonacci" && span.ParentSpanId == process.SpanId);
        }

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>The spans the OpenTelemetry console exporter printed: one block per span, starting with its trace id.</summary>
    private static List<(string TraceId, string SpanId, string? ParentSpanId, string Name)> ConsoleSpans(string output) =>
        ConsoleSpan().Matches(output).Select(m => (m.Groups["trace"].Value, m.Groups["span"].Value,
            m.Groups["parent"].Success ? m.Groups["parent"].Value : null, m.Groups["name"].Value.Trim())).ToList();

    [GeneratedRegex(@"Activity\.TraceId:\s+(?<trace>\w+)\s+Activity\.SpanId:\s+(?<span>\w+)\s+Activity\.TraceFlags:[^\n]*\n(?:Activity\.ParentSpanId:\s+(?<parent>\w+)\s+)?Activity\.DisplayName:(?<name>[^\n]+)")]
    private static partial Regex ConsoleSpan();

    /// <summary>How many requests messaging_process_duration_seconds counted for one outcome (and error type), 0 when absent.</summary>
    private static double Counter(string metrics, string outcome, string? errorType)
    {
        foreach (Match line in RequestsLine().Matches(metrics))
        {
            var labels = line.Groups["labels"].Value;
            if (labels.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal)
                && (errorType is null ? !labels.Contains("error_type=", StringComparison.Ordinal) : labels.Contains($"error_type=\"{errorType}\"", StringComparison.Ordinal)))
            {
                return double.Parse(line.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    [GeneratedRegex(@"^messaging_process_duration_seconds_count\{(?<labels>[^}]*)\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex RequestsLine();
}

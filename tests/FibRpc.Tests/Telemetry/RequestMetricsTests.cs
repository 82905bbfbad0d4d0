using System.Diagnostics.Metrics;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Binding;
using FibRpc.Service.Telemetry;
using FibRpc.Tests.Handling;

namespace FibRpc.Tests.Telemetry;

/// <summary>messaging.process.duration, one measurement per request by outcome, and its companions, listened to on this test's own meter instance only.</summary>
public sealed class RequestMetricsTests : IDisposable
{
    private readonly ServiceMetrics _metrics = new(null);
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measured = [];

    public RequestMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Meter.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value, StringComparer.Ordinal);
        lock (_measured)
        {
            _measured.Add((instrument.Name, value, copy));
        }
    }

    private Dictionary<(string?, string?), double> Requests() => _measured
        .Where(measurement => measurement.Instrument == "messaging.process.duration")
        .GroupBy(measurement => ((string?)measurement.Tags.GetValueOrDefault("outcome"), (string?)measurement.Tags.GetValueOrDefault("error.type")))
        .ToDictionary(group => group.Key, group => (double)group.Count());

    private static RequestProperties To(string? replyTo, int requeueCount = 0) =>
        new(replyTo, "c", requeueCount == 0 ? RequestProperties.NoHeaders : new Dictionary<string, object?> { [RpcNames.RequeueCountHeader] = (long)requeueCount });

    [Fact]
    public async Task The_process_duration_is_measured_once_per_request_handled_by_outcome()
    {
        var handler = TestHandlers.Create(new RecordingPublisher(), _metrics);
        foreach (var n in new[] { "10", "20", "93" })
        {
            await handler.HandleAsync(System.Text.Encoding.ASCII.GetBytes(n), To("amq.gen-r"), CancellationToken.None);
        }

        await handler.HandleAsync("-1"u8.ToArray(), To("amq.gen-r"), CancellationToken.None);
        await handler.HandleAsync("abc"u8.ToArray(), To("amq.gen-r"), CancellationToken.None);
        await handler.HandleAsync("5"u8.ToArray(), To(null), CancellationToken.None);
        await handler.HandleAsync("5"u8.ToArray(), To(RpcNames.Queue), CancellationToken.None);
        await TestHandlers.Create(new RecordingPublisher(PublishOutcome.Returned), _metrics).HandleAsync("5"u8.ToArray(), To("amq.gen-gone"), CancellationToken.None);

        // Every reply publish fails: the trigger retries, or dead-letters on the last attempt.
        var failing = Enumerable.Range(0, 6).Select(_ => (Exception)RecordingPublisher.Failed()).ToArray();
        var broken = TestHandlers.Create(new RecordingPublisher(PublishOutcome.Confirmed, failing), _metrics);
        Assert.Equal(FibRpc.Service.Handling.Disposition.Retry, (await broken.HandleAsync("5"u8.ToArray(), To("amq.gen-r"), CancellationToken.None)).Disposition);
        Assert.Equal(FibRpc.Service.Handling.Disposition.DeadLetter, (await broken.HandleAsync("5"u8.ToArray(), To("amq.gen-r", requeueCount: new FibRpcOptions().MaxAttempts - 1), CancellationToken.None)).Disposition);

        var expected = new Dictionary<(string?, string?), double>
        {
            [("ok", null)] = 3,
            [("bad_request", RpcErrorCodes.Negative)] = 1,
            [("bad_request", RpcErrorCodes.NotANumber)] = 1,
            [("refused", "no_reply_to")] = 1,
            [("refused", "reply_to_not_allowed")] = 1,
            [("undeliverable", "unroutable")] = 1,
            [("retried", "connection_lost")] = 1,
            [("dead_lettered", "connection_lost")] = 1,
        };
        Assert.Equal(expected.OrderBy(pair => pair.Key.ToString()), Requests().OrderBy(pair => pair.Key.ToString()));
        Assert.Equal(10, _measured.Where(m => m.Instrument == "messaging.client.consumed.messages").Sum(m => m.Value));
        Assert.All(_measured.Where(m => m.Instrument == "messaging.process.duration"), m =>
        {
            Assert.Equal("process", m.Tags[FibRpc.Messaging.Telemetry.MessagingAttributes.OperationName]);
            Assert.Equal(RpcNames.Queue, m.Tags[FibRpc.Messaging.Telemetry.MessagingAttributes.DestinationName]);
        });
        Assert.DoesNotContain(_measured, m => m.Instrument is "fibrpc.requests" or "fibrpc.processing.duration");
    }

    [Fact]
    public async Task Computation_and_reply_confirm_are_timed_once_per_answer()
    {
        var handler = TestHandlers.Create(new RecordingPublisher(), _metrics);
        await handler.HandleAsync("1000"u8.ToArray(), To("amq.gen-r"), CancellationToken.None);
        await handler.HandleAsync("x"u8.ToArray(), To("amq.gen-r"), CancellationToken.None);

        Assert.Single(_measured, m => m.Instrument == "fibrpc.computation.duration");
        Assert.Equal(2, _measured.Count(m => m.Instrument == "fibrpc.reply.confirm.duration"));
        var sent = _measured.Where(m => m.Instrument == "messaging.client.sent.messages").ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Equal("(temporary)", m.Tags[FibRpc.Messaging.Telemetry.MessagingAttributes.DestinationName]));
    }

    [Theory]
    [InlineData(FibRpc.Service.Handling.RequestOutcome.BadRequest, RpcErrorCodes.Negative, "bad_request")]
    [InlineData(FibRpc.Service.Handling.RequestOutcome.InternalError, RpcErrorCodes.Internal, "service_error")]
    [InlineData(FibRpc.Service.Handling.RequestOutcome.AttemptsExhausted, RpcErrorCodes.AttemptsExhausted, "service_error")]
    public void An_error_reply_is_labelled_by_whose_fault_it_was(FibRpc.Service.Handling.RequestOutcome outcome, string code, string expected)
    {
        var result = new FibRpc.Service.Handling.RequestResult(outcome, FibRpc.Service.Handling.Disposition.Ack, code, 1);

        Assert.Equal((expected, code), RequestOutcomeLabels.For(result));
    }

    [Fact]
    public void Every_outcome_maps_to_a_label()
    {
        foreach (var outcome in Enum.GetValues<FibRpc.Service.Handling.RequestOutcome>())
        {
            foreach (var disposition in Enum.GetValues<FibRpc.Service.Handling.Disposition>())
            {
                var (label, _) = RequestOutcomeLabels.For(new FibRpc.Service.Handling.RequestResult(outcome, disposition, null, 1));
                Assert.Contains(label, new[] { "ok", "bad_request", "service_error", "refused", "undeliverable", "expired", "retried", "dead_lettered" });
            }
        }
    }
}

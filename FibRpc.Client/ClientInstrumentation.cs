using System.Diagnostics;
using System.Diagnostics.Metrics;
using FibRpc.Messaging.Telemetry;

namespace FibRpc.Client;

/// <summary>
/// The client's span and metrics. The producer span covers the whole call (publish, confirm, the wait for the
/// reply), so that in a trace the service's processing sits inside the caller's wait.
/// </summary>
internal static class ClientInstrumentation
{
    /// <summary>Histogram boundaries (seconds) from a cached small answer (~100 µs round trip) to F(10^6) under load.</summary>
    private static readonly double[] RoundTripBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    // A meter without an IMeterFactory: a FibRpcClient is made by ConnectAsync, not by a container.
    private static readonly Meter Meter = new(FibRpcTelemetry.Name);

    private static readonly Counter<long> SentMessages = Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}", "Requests the client published (each retry after a nack counts)");

    private static readonly Histogram<double> RoundTrip = Meter.CreateHistogram<double>(
        "fibrpc.client.duration", "s", "Round-trip time of a call, publish to reply, by outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RoundTripBuckets });

    private static readonly Counter<long> Timeouts = Meter.CreateCounter<long>(
        "fibrpc.client.timeouts", "{call}", "Calls that got no confirm or no reply within their timeout");

    public static Activity? StartCall(string queue, string correlationId, int bodySize)
    {
        var activity = FibRpcTelemetry.Source.StartActivity($"{MessagingAttributes.Send} {queue}", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            MessagingAttributes.SetCommon(activity, MessagingAttributes.Send, queue, correlationId, bodySize);
        }

        return activity;
    }

    public static void Sent(string queue, string? errorType)
    {
        var tags = new TagList
        {
            { MessagingAttributes.System, MessagingAttributes.RabbitMq },
            { MessagingAttributes.OperationName, MessagingAttributes.Send },
            { MessagingAttributes.DestinationName, queue },
        };
        if (errorType is not null)
        {
            tags.Add(MessagingAttributes.ErrorType, errorType);
        }

        SentMessages.Add(1, tags);
    }

    public static void Completed(Activity? activity, string queue, long started, Exception? failure)
    {
        var errorType = failure is null ? null : ErrorType(failure);
        if (failure is FibRpcTimeoutException)
        {
            Timeouts.Add(1, new KeyValuePair<string, object?>(MessagingAttributes.DestinationName, queue));
        }

        var tags = new TagList
        {
            { MessagingAttributes.DestinationName, queue },
            { "outcome", errorType is null ? "ok" : "error" },
        };
        if (errorType is not null)
        {
            tags.Add(MessagingAttributes.ErrorType, errorType);
        }

        RoundTrip.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        if (activity is not null && errorType is not null)
        {
            activity.SetTag(MessagingAttributes.ErrorType, errorType);
            activity.SetStatus(ActivityStatusCode.Error, failure!.Message);
        }
    }

    /// <summary>The service's error code, a short name for the client's own failures, else the exception's type (as the conventions ask).</summary>
    internal static string ErrorType(Exception failure) => failure switch
    {
        FibRpcErrorReplyException error => error.Code,
        FibRpcTimeoutException => "timeout",
        FibRpcUnroutableException => "unroutable",
        FibRpcReplyLostException => "reply_lost",
        FibRpcConnectionLostException => "connection_lost",
        FibRpcConnectFailedException => "no_connection",
        FibRpcOverloadedException => "overloaded",
        FibRpcNackedException => "nacked",
        OperationCanceledException => "canceled",
        _ => failure.GetType().FullName ?? "unknown",
    };
}

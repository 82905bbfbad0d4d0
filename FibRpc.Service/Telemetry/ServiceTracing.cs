using System.Diagnostics;
using FibRpc.Messaging.Telemetry;
using FibRpc.Service.Binding;

namespace FibRpc.Service.Telemetry;

/// <summary>
/// The service's spans: <c>process &lt;queue&gt;</c> for a request, a child of the caller's send span (not a link:
/// each request has exactly one sender, who waits for this very answer, so it is one operation across two
/// processes); under it <c>compute fibonacci</c> and <c>send (temporary)</c> for the confirmed reply.
/// </summary>
internal static class ServiceTracing
{
    public static Activity? StartProcess(string queue, RequestProperties properties, int bodySize)
    {
        var parent = TraceContextHeaders.Extract(properties.Headers);
        var activity = FibRpcTelemetry.Source.StartActivity($"{MessagingAttributes.Process} {queue}", ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            MessagingAttributes.SetCommon(activity, MessagingAttributes.Process, queue, properties.CorrelationId, bodySize);
            if (properties.MessageId is { } messageId)
            {
                activity.SetTag("messaging.message.id", messageId);
            }
        }

        return activity;
    }

    // The tag array (and the boxed n) would be made before StartActivity could say nobody listens: not when off.
    public static Activity? StartCompute(int n) => FibRpcTelemetry.Source.HasListeners()
        ? FibRpcTelemetry.Source.StartActivity("compute fibonacci", ActivityKind.Internal, default(ActivityContext), [new("fibrpc.n", n)])
        : null;

    public static Activity? StartReply(string replyTo, string? correlationId, int bodySize)
    {
        var destination = MessagingAttributes.DestinationTemplate(replyTo, out var temporary);
        var activity = FibRpcTelemetry.Source.StartActivity($"{MessagingAttributes.Send} {destination}", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            MessagingAttributes.SetCommon(activity, MessagingAttributes.Send, replyTo, correlationId, bodySize);
            if (temporary)
            {
                activity.SetTag(MessagingAttributes.DestinationTemporary, true);
            }
        }

        return activity;
    }

    public static void Fail(Activity? activity, string errorType, string? description = null) =>
        activity?.SetTag(MessagingAttributes.ErrorType, errorType).SetStatus(ActivityStatusCode.Error, description);
}

using System.Diagnostics;

namespace FibRpc.Messaging.Telemetry;

/// <summary>Carries a span's W3C trace context in AMQP headers through the process's <see cref="DistributedContextPropagator"/>, which an application may replace.</summary>
public static class TraceContextHeaders
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>Writes <paramref name="activity"/>'s context into <paramref name="headers"/>, replacing any there.</summary>
    public static void Inject(Activity activity, IDictionary<string, object?> headers)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(headers);
        headers.Remove(TraceParent);
        headers.Remove(TraceState);
        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, name, value) =>
        {
            if (carrier is IDictionary<string, object?> target)
            {
                target[name] = value;
            }
        });
    }

    /// <summary>
    /// The remote parent a request names, or default when it names none or one that is not valid W3C trace context
    /// (headers come from whoever published: a bad one must not fail the request, only lose the link).
    /// </summary>
    /// <param name="headers">Headers with text values, as both hosts deliver them.</param>
    public static ActivityContext Extract(IReadOnlyDictionary<string, object?> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (carrier, name, out value, out values) =>
        {
            values = null;
            value = carrier is IReadOnlyDictionary<string, object?> source && source.TryGetValue(name, out var raw) ? raw as string : null;
        }, out var traceParent, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }
}

using System.Diagnostics;
using RabbitMQ.Client;

namespace FibRpc.Messaging.Telemetry;

/// <summary>
/// Makes RabbitMQ.Client's publisher instrumentation keep the trace context a message already carries. When anything
/// listens to the library's <c>RabbitMQ.Client.Publisher</c> source, it writes its own span's context into the
/// headers, over ours, and a reply would name the library's span instead of the service's span that made it.
/// </summary>
/// <remarks>
/// The injector is a process-wide setting of the library, so it is changed only by an explicit call where telemetry
/// is wired (<c>AddFibRpcTelemetry</c>), never as a side effect of using a type.
/// </remarks>
public static class LibraryContextInjector
{
    private static int Installed;

    /// <summary>Wraps the library's injector, once per process; later calls do nothing.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref Installed, 1) != 0)
        {
            return;
        }

        var library = RabbitMQActivitySource.ContextInjector;
        RabbitMQActivitySource.ContextInjector = (activity, headers) =>
        {
            if (!headers.ContainsKey(TraceContextHeaders.TraceParent))
            {
                library(activity, headers);
            }
        };
    }
}

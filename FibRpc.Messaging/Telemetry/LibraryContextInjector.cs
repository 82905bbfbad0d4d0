using System.Diagnostics;
using RabbitMQ.Client;

namespace FibRpc.Messaging.Telemetry;

/// <summary>
/// Makes RabbitMQ.Client's publisher instrumentation keep the trace context a message already carries. When anything
/// listens to the library's <c>RabbitMQ.Client.Publisher</c> source, it starts a span per publish and writes that
/// span's context into the headers, over ours: the service would become a child of the library's span, and a reply
/// would name it instead of the service's span that made it. Installed, the library's span is still recorded (as a
/// child of ours), and a message that names its creating span keeps it.
/// </summary>
/// <remarks>
/// The injector is a process-wide setting of the library, so it is changed only by an explicit call where telemetry
/// is wired (<c>AddFibRpcTelemetry</c> calls it; an application that sets up OpenTelemetry itself and listens to the
/// library's sources calls it once), never as a side effect of using a type.
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

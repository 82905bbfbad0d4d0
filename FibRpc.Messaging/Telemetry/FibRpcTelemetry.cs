using System.Diagnostics;

namespace FibRpc.Messaging.Telemetry;

/// <summary>
/// The one <see cref="ActivitySource"/> and the one meter name of the whole service, client and server alike, so that
/// a collector subscribes to a single name. Lives beside the RabbitMQ plumbing because both sides publish through it
/// and neither may reach the other.
/// </summary>
public static class FibRpcTelemetry
{
    /// <summary>The name of the activity source and of the meter: the service's name.</summary>
    public const string Name = "FibRpc";

    /// <summary>The default OpenTelemetry <c>service.name</c> (OTEL_SERVICE_NAME wins over it).</summary>
    public const string ServiceName = "fibrpc";

    /// <summary>Spans of the client's sends, the server's processing, its computation and its confirmed reply.</summary>
    public static ActivitySource Source { get; } = new(Name, typeof(FibRpcTelemetry).Assembly.GetName().Version?.ToString());
}

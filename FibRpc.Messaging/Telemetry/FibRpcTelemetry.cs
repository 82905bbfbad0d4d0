using System.Diagnostics;

namespace FibRpc.Messaging.Telemetry;

/// <summary>
/// The one <see cref="ActivitySource"/> and meter name of client and server alike, so that a collector subscribes to
/// a single name. Lives here because both sides use the RabbitMQ plumbing and neither may reach the other.
/// </summary>
public static class FibRpcTelemetry
{
    /// <summary>The name of the activity source and of the meter: the service's name.</summary>
    public const string Name = "FibRpc";

    /// <summary>The default OpenTelemetry <c>service.name</c> (OTEL_SERVICE_NAME wins over it).</summary>
    public const string ServiceName = "fibrpc";

    public static ActivitySource Source { get; } = new(Name, typeof(FibRpcTelemetry).Assembly.GetName().Version?.ToString());
}

using System.Diagnostics;
using FibRpc.Messaging.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FibRpc.Telemetry;

/// <summary>The one call with which a host (fibrpc serve, FibFunction) turns on the service's telemetry.</summary>
public static class TelemetryHostBuilderExtensions
{
    /// <summary>
    /// Listens to the service's activity source and meter (the client's too) and the .NET runtime's metrics, puts
    /// trace and span ids on every log entry, and adds the exporters the standard settings ask for: OTLP when an
    /// <c>OTEL_EXPORTER_OTLP_*ENDPOINT</c> is set, the console for each signal whose <c>OTEL_*_EXPORTER</c> names it.
    /// <paramref name="serviceName"/> applies when <c>OTEL_SERVICE_NAME</c> gives none.
    /// </summary>
    /// <remarks>
    /// RabbitMQ.Client's own sources are not listened to: its publisher spans would only repeat ours. An application
    /// that adds them still keeps our <c>traceparent</c>: this call installs <see cref="LibraryContextInjector"/>.
    /// </remarks>
    public static OpenTelemetryBuilder AddFibRpcTelemetry(this IHostApplicationBuilder builder, string serviceName = FibRpcTelemetry.ServiceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = TelemetrySettings.From(builder.Configuration);
        LibraryContextInjector.Install();

        // Log scopes then carry the ids of the current span, for every logging provider (the console's JSON too).
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (settings.ServiceName is null)
                {
                    resource.AddService(serviceName, serviceVersion: typeof(FibRpcTelemetry).Assembly.GetName().Version?.ToString());
                }
            })
            .WithTracing(tracing => tracing.AddSource(FibRpcTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(FibRpcTelemetry.Name).AddRuntimeInstrumentation());

        if (settings.Otlp)
        {
            // Endpoint, protocol, headers and timeouts come from the OTEL_EXPORTER_OTLP_* settings themselves.
            telemetry.UseOtlpExporter();
        }

        if (settings.ConsoleTraces)
        {
            telemetry.WithTracing(tracing => tracing.AddConsoleExporter());
        }

        if (settings.ConsoleMetrics)
        {
            telemetry.WithMetrics(metrics => metrics.AddConsoleExporter());
        }

        if (settings.ConsoleLogs)
        {
            telemetry.WithLogging(logging => logging.AddConsoleExporter(), options => options.IncludeFormattedMessage = true);
        }

        return telemetry;
    }

    /// <summary>Whether the settings name any exporter, so that a host can leave telemetry off when nothing would be sent.</summary>
    public static bool TelemetryRequested(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return TelemetrySettings.From(builder.Configuration).ExportsAnything;
    }
}

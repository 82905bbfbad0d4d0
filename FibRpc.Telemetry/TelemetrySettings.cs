using Microsoft.Extensions.Configuration;

namespace FibRpc.Telemetry;

/// <summary>Which exporters the standard OpenTelemetry settings ask for, read from configuration so that an <c>OTEL_*</c> app setting works too.</summary>
internal sealed record TelemetrySettings(bool Otlp, bool ConsoleTraces, bool ConsoleMetrics, bool ConsoleLogs, bool AzureMonitor, string? ServiceName)
{
    public static TelemetrySettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new TelemetrySettings(
            Otlp: IsSet(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT") || IsSet(configuration, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
                || IsSet(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") || IsSet(configuration, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"),
            ConsoleTraces: Names(configuration, "OTEL_TRACES_EXPORTER", "console"),
            ConsoleMetrics: Names(configuration, "OTEL_METRICS_EXPORTER", "console"),
            ConsoleLogs: Names(configuration, "OTEL_LOGS_EXPORTER", "console"),
            AzureMonitor: IsSet(configuration, "APPLICATIONINSIGHTS_CONNECTION_STRING"),
            ServiceName: configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : null);
    }

    /// <summary>Whether anything would leave the process: without an exporter, spans are not worth making.</summary>
    public bool ExportsAnything => Otlp || ConsoleTraces || ConsoleMetrics || ConsoleLogs || AzureMonitor;

    private static bool IsSet(IConfiguration configuration, string name) => !string.IsNullOrWhiteSpace(configuration[name]);

    /// <summary>OTEL_*_EXPORTER are comma-separated lists (the specification's "otlp,console").</summary>
    private static bool Names(IConfiguration configuration, string name, string exporter) =>
        configuration[name]?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains(exporter, StringComparer.OrdinalIgnoreCase) == true;
}

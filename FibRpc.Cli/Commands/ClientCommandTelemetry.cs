using FibRpc.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FibRpc.Cli.Commands;

/// <summary>
/// Telemetry for call and bench: when the <c>OTEL_*</c> settings name an exporter, the client's spans and metrics
/// leave through it, wired as the service's are; otherwise nothing listens and no span is made.
/// </summary>
internal static class ClientCommandTelemetry
{
    /// <summary>The service name of the client's telemetry when <c>OTEL_SERVICE_NAME</c> gives none.</summary>
    public const string ServiceName = "fibrpc-client";

    /// <summary>Starts the exporters the settings ask for; null when they ask for none. Disposing flushes what is left.</summary>
    public static async Task<IAsyncDisposable?> StartAsync(CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddEnvironmentVariables();
        if (!builder.TelemetryRequested())
        {
            return null;
        }

        builder.AddFibRpcTelemetry(ServiceName);
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new Running(host);
    }

    private sealed class Running(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync().ConfigureAwait(false);
            // Disposing the providers flushes the exporters: the last spans of a short call are not lost.
            host.Dispose();
        }
    }
}

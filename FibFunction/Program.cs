using Azure.Monitor.OpenTelemetry.Exporter;
using FibRpc.Service;
using FibRpc.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// App settings (local.settings.json locally, app settings in Azure) arrive as configuration: RabbitMQConnection
// for the reply connection, FibRpc__* for the core's options. The trigger's adapter, and the warm-up in the background
// from the worker's start (reply connection, confirm channel, engine, reply path).
builder.Services.AddFibRpc(builder.Configuration).AddFibRpcFunctionTrigger();

// The service's spans and metrics, the runtime's metrics, OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; the worker's
// own invocation spans and resource (UseFunctionsWorkerDefaults; host.json's telemetryMode is OpenTelemetry, so the
// host sends its part the same way); Application Insights when the platform gives its connection string.
var telemetry = builder.AddFibRpcTelemetry().UseFunctionsWorkerDefaults();
if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    telemetry.UseAzureMonitorExporter();
}

builder.Build().Run();

using System.CommandLine;
using FibRpc.Contract;
using FibRpc.Service;
using FibRpc.Telemetry;
using FibRpc.TriggerHost;
using OpenTelemetry.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FibRpc.Cli.Commands;

/// <summary>
/// fibrpc serve: the local trigger host. Consumes the request queue with the Functions trigger's contract, for
/// machines without Azure Functions Core Tools. Ctrl+C or SIGTERM stops consuming, lets the request in flight be
/// answered and acked, then exits.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var prefetch = new Option<ushort?>("--prefetch")
        {
            Description = $"Unacked deliveries per consumer. Default: {FunctionsHostSettings.PrefetchOverrideVariable}, else host.json's extensions.rabbitMQ.prefetchCount",
        };
        var hostJson = new Option<string?>("--host-json")
        {
            Description = "The host.json to read the prefetch from. Default: ./host.json, else the copy beside the program",
        };
        var shutdownTimeout = new Option<double>("--shutdown-timeout")
        {
            Description = "Seconds that the request in flight may take to finish on Ctrl+C or SIGTERM",
            DefaultValueFactory = _ => 30,
        };
        var logLevel = new Option<LogLevel>("--log-level")
        {
            Description = "Least level of log messages shown",
            DefaultValueFactory = _ => LogLevel.Information,
        };
        var noWarmUp = new Option<bool>("--no-warm-up")
        {
            Description = "Attach the consumer without warming up first (the first request then pays for connection, channel and code); for measuring start-up",
        };
        var logFormat = new Option<LogFormat>("--log-format")
        {
            Description = "simple: one line per entry; json: one JSON object per entry, with the trace and span ids",
            DefaultValueFactory = _ => LogFormat.Simple,
        };
        var metricsPort = new Option<int?>("--metrics-port")
        {
            Description = "Serve the metrics in Prometheus text at http://<metrics-host>:<port>/metrics (turns telemetry on)",
        };
        var metricsHost = new Option<string>("--metrics-host")
        {
            Description = "The host name /metrics listens on: localhost, or + for every address (containers)",
            DefaultValueFactory = _ => "localhost",
        };
        metricsPort.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } port && port is < 1 or > 65535)
            {
                result.AddError("--metrics-port must be between 1 and 65535");
            }
        });
        var command = new Command("serve", "Serve requests from the queue like the Functions trigger (local trigger host).")
        {
            CommonOptions.Queue, prefetch, hostJson, shutdownTimeout, logLevel, logFormat, metricsPort, metricsHost, noWarmUp,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var hostJsonPath = parseResult.GetValue(hostJson) ?? FunctionsHostSettings.Locate();
            ushort prefetchCount;
            try
            {
                prefetchCount = parseResult.GetValue(prefetch) ?? FunctionsHostSettings.PrefetchCount(FunctionsHostSettings.Load(hostJsonPath));
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidDataException or FormatException)
            {
                await Console.Error.WriteLineAsync($"fibrpc serve: reading the prefetch from {hostJsonPath ?? "(no host.json)"} and the {FunctionsHostSettings.EnvironmentPrefix}* variables: {e.Message}");
                return 1;
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            builder.Configuration[RpcNames.ConnectionSetting] = CommonOptions.ResolveConnection(parseResult);
            builder.Configuration[RpcNames.CaFileSetting] = CommonOptions.ResolveCaFile(parseResult);
            builder.Configuration[$"{FibRpcOptions.SectionName}:{nameof(FibRpcOptions.RequestQueue)}"] = parseResult.GetValue(CommonOptions.Queue);
            builder.Logging.ClearProviders();
            if (parseResult.GetValue(logFormat) == LogFormat.Json)
            {
                // Scopes carry the trace and span ids once telemetry is on (ActivityTrackingOptions).
                builder.Logging.AddJsonConsole(console =>
                {
                    console.IncludeScopes = true;
                    console.UseUtcTimestamp = true;
                    console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                });
            }
            else
            {
                builder.Logging.AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss.fff ";
                });
            }

            var port = parseResult.GetValue(metricsPort);
            if (port is not null || builder.TelemetryRequested())
            {
                var telemetry = builder.AddFibRpcTelemetry();
                if (port is { } listenOn)
                {
                    var listenHost = parseResult.GetValue(metricsHost)!;
                    telemetry.WithMetrics(metrics => metrics.AddPrometheusHttpListener(prometheus =>
                    {
                        prometheus.Host = listenHost;
                        prometheus.Port = listenOn;
                    }));
                }
            }

            builder.Logging.SetMinimumLevel(parseResult.GetValue(logLevel));
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(parseResult.GetValue(shutdownTimeout)));
            builder.Services
                .AddFibRpc(builder.Configuration)
                .AddFibRpcLocalTriggerHost(trigger =>
                {
                    trigger.PrefetchCount = prefetchCount;
                    trigger.WarmUp = !parseResult.GetValue(noWarmUp);
                });

            using var host = builder.Build();
            try
            {
                // The host owns Ctrl+C and SIGTERM: it stops the trigger, which drains the request in flight.
                await host.RunAsync(CancellationToken.None);
                return 0;
            }
            catch (Exception e) when (e is Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException or FibRpc.Messaging.PublishFailedException || CommonOptions.IsConnectionFailure(e))
            {
                await Console.Error.WriteLineAsync($"fibrpc serve: {CommonOptions.Describe(e, parseResult)}");
                return 1;
            }
        });
        return command;
    }
}

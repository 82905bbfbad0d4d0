using System.CommandLine;
using FibRpc.Cli.Metrics;
using FibRpc.Contract;
using FibRpc.Service;
using FibRpc.Telemetry;
using FibRpc.TriggerHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
        var queue = new Option<string?>("--queue", "-q")
        {
            Description = $"The request queue. Default: the {FibRpcOptions.SectionName}__{nameof(FibRpcOptions.RequestQueue)} environment variable, else {RpcNames.Queue}",
        };
        var prefetch = new Option<ushort?>("--prefetch")
        {
            Description = $"Unacked deliveries per consumer, 1 to 65535. Default: {FunctionsHostSettings.PrefetchOverrideVariable}, else host.json's extensions.rabbitMQ.prefetchCount",
        }.WholeNumber<ushort>(1, ushort.MaxValue);
        var hostJson = new Option<string?>("--host-json")
        {
            Description = "The host.json to read the prefetch from. Default: ./host.json, else the copy beside the program",
        };
        var shutdownTimeout = new Option<double>("--shutdown-timeout")
        {
            Description = "Seconds that the request in flight may take to finish on Ctrl+C or SIGTERM",
            DefaultValueFactory = _ => 30,
        }.Seconds(0, 3600);
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
        }.WholeNumber(1, 65535);
        var metricsHost = new Option<string>("--metrics-host")
        {
            Description = "The address /metrics listens on, answering whatever host name a scraper uses: localhost (loopback), an IP address, a host name, or + for every address (containers)",
            DefaultValueFactory = _ => "localhost",
        };
        var command = new Command("serve", "Serve requests from the queue like the Functions trigger (local trigger host).")
        {
            queue, prefetch, hostJson, shutdownTimeout, logLevel, logFormat, metricsPort, metricsHost, noWarmUp, CommonOptions.Connection, CommonOptions.CaFile,
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

            if (prefetchCount == 0)
            {
                await Console.Error.WriteLineAsync($"fibrpc serve: {ZeroPrefetch(hostJsonPath)}");
                return 1;
            }

            var builder = CreateBuilder(parseResult, queue);
            builder.Logging.ClearProviders();
            // The host's "Hosting failed to start" entry would print the exception (with a line of stack trace) right
            // before the one line this command prints for the same failure below.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
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
                    MetricsEndpoint.Add(builder.Services, telemetry, parseResult.GetValue(metricsHost)!, listenOn);
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
            catch (Exception e) when (e is OptionsValidationException or InvalidOperationException or FibRpc.Messaging.PublishFailedException || CommonOptions.IsConnectionFailure(e))
            {
                IEnumerable<string> lines = e switch
                {
                    OptionsValidationException invalid => invalid.Failures.Select(SettingErrors.Describe),
                    MetricsEndpointException => [e.Message],
                    InvalidOperationException when SettingErrors.IsBindingFailure(e.Message) => [SettingErrors.Describe(e.Message)],
                    _ => [CommonOptions.Describe(e, parseResult)],
                };
                foreach (var line in lines)
                {
                    await Console.Error.WriteLineAsync($"fibrpc serve: {line}");
                }

                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// The host builder with serve's configuration: the environment (FibRpc__*, OTEL_*, RabbitMQConnection) first,
    /// then what the command line gives. An option overrides a setting only when it is given, so that a documented
    /// setting is never silently replaced by an option's default.
    /// </summary>
    internal static HostApplicationBuilder CreateBuilder(ParseResult parseResult, Option<string?> queue)
    {
        // Settings are read once: with reloading on, the host would watch the current directory recursively for
        // appsettings.json before anything else starts. DOTNET_hostBuilder__reloadConfigOnChange=true turns it back on.
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], Configuration = configuration });
        builder.Configuration[RpcNames.ConnectionSetting] = CommonOptions.ResolveConnection(parseResult);
        if (CommonOptions.ResolveCaFile(parseResult) is { } caFile)
        {
            builder.Configuration[RpcNames.CaFileSetting] = caFile;
        }

        if (parseResult.GetValue(queue) is { } given)
        {
            builder.Configuration[$"{FibRpcOptions.SectionName}:{nameof(FibRpcOptions.RequestQueue)}"] = given;
        }

        return builder;
    }

    /// <summary>Why a prefetch of 0 is refused, naming where it came from.</summary>
    internal static string ZeroPrefetch(string? hostJsonPath)
    {
        var source = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(FunctionsHostSettings.PrefetchOverrideVariable))
            ? FunctionsHostSettings.PrefetchOverrideVariable
            : $"extensions.rabbitMQ.prefetchCount in {hostJsonPath ?? "host.json"}";
        return $"{source} is 0, which AMQP takes as no limit at all: set it from 1 to 65535 (this project runs at 1, as host.json says; the Functions host's own default would be 30)";
    }
}

internal enum LogFormat
{
    Simple,
    Json,
}

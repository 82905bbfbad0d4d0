namespace FibRpc.Tests.Deployment.Facts;

/// <summary>
/// The facts several files state and must agree on. Each name is one thing the running system depends on: if two
/// files disagree on it, some part (trigger, scaler, topology, secret) talks past another.
/// </summary>
internal static class FactNames
{
    public const string Queue = "request queue";
    public const string DeadLetterExchange = "dead-letter exchange";
    public const string DeadLetterQueue = "dead-letter queue";
    public const string RequestQueueArguments = "request queue arguments";
    public const string DeadLetterQueueArguments = "dead-letter queue arguments";
    public const string RequestQueuePolicy = "request queue policy";
    public const string DeadLetterQueuePolicy = "dead-letter queue policy";
    public const string ConnectionSetting = "connection setting name";
    public const string ConnectionSecret = "connection secret name";
    public const string TriggerAuthentication = "KEDA trigger authentication name";
    public const string TopologySecretKey = "secret key of the topology user's URI";
    public const string ScalerSecretKey = "secret key of KEDA's user's URI";
    public const string ScaleTarget = "scaled deployment name";
    public const string FunctionName = "function name";
    public const string Prefetch = "prefetch count";
    public const string WorkerRuntime = "worker runtime";
    public const string DotnetVersion = ".NET version";
    public const string ComposeCollectorPrometheusPort = "Prometheus exporter port of the compose collector";
    public const string BrokerPrometheusPort = "rabbitmq_prometheus port of the compose broker";
    public const string CollectorOtlpEndpoint = "OTLP endpoint of the Kubernetes collector";

    /// <summary>The function's OTLP exporter setting (the host and the worker read it).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The port Prometheus scrapes a Kubernetes workload on (its prometheus.io/port annotation), by the workload's name.</summary>
    public static string ScrapePort(string workload) => $"Prometheus scrape port of {workload}";

    /// <summary>The port a Kubernetes collector receives OTLP/gRPC on, by the collector's name.</summary>
    public static string OtlpPort(string workload) => $"OTLP gRPC port of {workload}";

    /// <summary>The environment override of host.json's prefetch, as the Functions host reads it.</summary>
    public const string PrefetchEnvironmentVariable = "AzureFunctionsJobHost__extensions__rabbitMQ__prefetchCount";

    /// <summary>The host setting that restricts which functions load.</summary>
    public const string FunctionsFilterVariable = "AzureFunctionsJobHost__functions__0";

    public const string WorkerRuntimeVariable = "FUNCTIONS_WORKER_RUNTIME";

    /// <summary>Prefix of the service's own settings (section FibRpc).</summary>
    public const string ServiceSettingPrefix = "FibRpc__";

    /// <summary>The fact "the app setting X has this value", for a FibRpc__ setting X.</summary>
    public static string Setting(string name) => "app setting " + name;

    public static bool IsAmqpUri(string? value) =>
        value is not null && (value.StartsWith("amqp://", StringComparison.Ordinal) || value.StartsWith("amqps://", StringComparison.Ordinal));
}

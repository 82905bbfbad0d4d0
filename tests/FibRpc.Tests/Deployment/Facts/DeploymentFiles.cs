namespace FibRpc.Tests.Deployment.Facts;

/// <summary>
/// Every file of the repository that states deployment facts, how to read it, and what it must state. Adding a
/// deployment file means adding it here; a fact the file states is then checked against every other file.
/// </summary>
internal static class DeploymentFiles
{
    public const string HostJson = "host.json";
    public const string LocalSettings = "local.settings.sample.json";
    public const string Compose = "deploy/compose/compose.yaml";
    public const string KubernetesDeployment = "deploy/kubernetes/deployment.yaml";
    public const string ScaledObject = "deploy/kubernetes/keda-scaledobject.yaml";
    public const string TriggerAuthentication = "deploy/kubernetes/keda-triggerauthentication.yaml";
    public const string Kustomization = "deploy/kubernetes/kustomization.yaml";
    public const string SecretSample = "deploy/kubernetes/rabbitmq.env.sample";
    public const string Bicep = "deploy/azure/main.bicep";
    public const string Trigger = FunctionSource.File;
    public const string BuildProps = "Directory.Build.props";
    public const string FunctionDockerfile = "FibFunction/Dockerfile";
    public const string CliDockerfile = "FibRpc.Cli/Dockerfile";
    public const string KubernetesCollector = "deploy/kubernetes/otel-collector.yaml";
    public const string ComposeCollector = "deploy/otel-collector/config.yaml";
    public const string ComposePrometheus = "deploy/prometheus/prometheus.yml";
    public const string BrokerConf = "deploy/rabbitmq/20-fibrpc.conf";
    public const string Dashboard = "deploy/grafana/fibrpc-dashboard.json";

    /// <summary>The collector's Kubernetes name: its ConfigMap, Deployment and Service.</summary>
    public const string KubernetesCollectorName = "otel-collector";

    /// <summary>How each text file is read; all of them take the file's path and text.</summary>
    public static readonly IReadOnlyDictionary<string, Func<string, string, IEnumerable<Statement>>> Readers =
        new Dictionary<string, Func<string, string, IEnumerable<Statement>>>(StringComparer.Ordinal)
        {
            [HostJson] = JsonSettingsFacts.HostJson,
            [LocalSettings] = JsonSettingsFacts.LocalSettings,
            [Compose] = ComposeFacts.Read,
            [KubernetesDeployment] = KubernetesFacts.Read,
            [ScaledObject] = KubernetesFacts.Read,
            [TriggerAuthentication] = KubernetesFacts.Read,
            [Kustomization] = KubernetesFacts.Read,
            [SecretSample] = KubernetesFacts.EnvFile,
            [Trigger] = (file, text) => FunctionSource.Parse(text).Statements,
            [BuildProps] = BuildFacts.BuildProps,
            [FunctionDockerfile] = BuildFacts.Dockerfile,
            [CliDockerfile] = BuildFacts.Dockerfile,
            [KubernetesCollector] = TelemetryFacts.KubernetesCollector,
            [ComposeCollector] = TelemetryFacts.ComposeCollector,
            [ComposePrometheus] = TelemetryFacts.PrometheusConfig,
            [BrokerConf] = TelemetryFacts.BrokerConf,
            [Dashboard] = TelemetryFacts.Dashboard,
        };

    public static readonly IReadOnlyList<Requirement> Requirements =
    [
        new(CodeFacts.RpcNamesFile, FactNames.Queue, "the names every other file is held to"),
        new(CodeFacts.RpcNamesFile, FactNames.ConnectionSetting, "the names every other file is held to"),
        new(Trigger, FactNames.Queue, "the queue the Functions host consumes"),
        new(Trigger, FactNames.ConnectionSetting, "the app setting the Functions host reads the AMQP URI from"),
        new(Trigger, FactNames.FunctionName, "the name the host filter selects"),
        new(HostJson, FactNames.Prefetch, "without it the host falls back to prefetch 30"),
        new(LocalSettings, FactNames.ConnectionSetting, "func start needs the AMQP URI under the trigger's setting"),
        new(LocalSettings, FactNames.WorkerRuntime, "func start needs to know the app is isolated-worker"),
        new(Compose, FactNames.ConnectionSetting, "the function container needs the AMQP URI"),
        new(Compose, FactNames.Queue, "the broker is healthy only once the queue exists; the host declares it passively"),
        new(KubernetesDeployment, FactNames.ConnectionSetting, "the pod needs the AMQP URI"),
        new(KubernetesDeployment, FactNames.ConnectionSecret, "the URI comes from the generated Secret"),
        new(KubernetesDeployment, FactNames.ScaleTarget, "KEDA scales it by name"),
        new(ScaledObject, FactNames.Queue, "KEDA scales on that queue's length"),
        new(ScaledObject, FactNames.ScaleTarget, "KEDA scales that Deployment"),
        new(ScaledObject, FactNames.TriggerAuthentication, "how the scaler reaches the broker"),
        new(TriggerAuthentication, FactNames.ScalerSecretKey, "the Secret key the scaler reads its own user's URI from"),
        new(KubernetesDeployment, FactNames.TopologySecretKey, "the init container declares with the topology user's URI"),
        new(SecretSample, FactNames.TopologySecretKey, "the generated Secret must hold the topology user's URI"),
        new(SecretSample, FactNames.ScalerSecretKey, "the generated Secret must hold KEDA's user's URI"),
        new(TriggerAuthentication, FactNames.ConnectionSecret, "the Secret the scaler reads the URI from"),
        new(Kustomization, FactNames.ConnectionSecret, "the Secret the pods and KEDA read"),
        new(SecretSample, FactNames.ConnectionSetting, "the key of the generated Secret"),
        new(Bicep, FactNames.ConnectionSetting, "the app needs the AMQP URI"),
        new(Bicep, FactNames.WorkerRuntime, "the site must run the isolated worker"),
        new(Bicep, FactNames.DotnetVersion, "the site's runtime stack"),
        new(BuildProps, FactNames.DotnetVersion, "the framework the app is built for"),
        new(FunctionDockerfile, FactNames.DotnetVersion, "the images the app is built and run on"),
        new(CliDockerfile, FactNames.DotnetVersion, "the images the tool is built and run on"),
        new(KubernetesDeployment, FactNames.CollectorOtlpEndpoint, "the function serves no /metrics: its telemetry leaves by OTLP only"),
        new(KubernetesCollector, FactNames.CollectorOtlpEndpoint, "the Service the function exports to"),
        new(KubernetesCollector, FactNames.OtlpPort(KubernetesCollectorName), "the collector listens where its pod and Service say"),
        new(KubernetesCollector, FactNames.ScrapePort(KubernetesCollectorName), "Prometheus scrapes the port the exporter listens on"),
        new(ComposeCollector, FactNames.ComposeCollectorPrometheusPort, "where the compose Prometheus finds the function's metrics"),
        new(ComposePrometheus, FactNames.ComposeCollectorPrometheusPort, "the function's metrics arrive through the collector"),
        new(ComposePrometheus, FactNames.BrokerPrometheusPort, "the depth of rpc_queue comes from the broker's rabbitmq_prometheus"),
        new(BrokerConf, FactNames.BrokerPrometheusPort, "where rabbitmq_prometheus listens"),
        new(Dashboard, FactNames.Queue, "the dashboard shows the request queue's depth"),
    ];

    /// <summary>
    /// Everything the repository states: the text files through their readers, the code, the compiled Bicep.
    /// <paramref name="replaced"/> stands in for some files' text (path -> text), to show what a one-line change does.
    /// </summary>
    public static IReadOnlyList<Statement> Statements(IReadOnlyDictionary<string, string>? replaced = null)
    {
        string Text(string file) => replaced is not null && replaced.TryGetValue(file, out var text) ? text : RepoFiles.Read(file);

        var statements = new List<Statement>(CodeFacts.Read());
        foreach (var (file, read) in Readers)
        {
            statements.AddRange(read(file, Text(file)));
        }

        var bicep = BicepCli.Build(Bicep, Text(Bicep));
        Assert.True(bicep.ExitCode == 0, $"bicep build {Bicep} failed: {bicep}");
        statements.AddRange(BicepFacts.ReadCompiled(Bicep, bicep.Output));
        return statements;
    }
}

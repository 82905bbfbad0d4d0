using System.Reflection;
using FibRpc.Service;
using FibRpc.Tests.Deployment.Facts;

namespace FibRpc.Tests.Deployment;

/// <summary>
/// The deployment files, the code and the function's trigger agree on every fact they share, and each states what
/// it must. The facts and the files are listed in <see cref="DeploymentFiles"/>.
/// </summary>
public sealed class FactAgreementTests
{
    private static readonly Lazy<IReadOnlyList<Statement>> Repository = new(() => DeploymentFiles.Statements());

    [Fact]
    public void EveryFact_HasOneValueInEveryFileThatStatesIt()
    {
        var disagreements = Agreement.Disagreements(Repository.Value);

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    [Fact]
    public void EveryFile_StatesTheFactsItMust()
    {
        var missing = Agreement.Missing(Repository.Value, DeploymentFiles.Requirements);

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void EveryServiceSetting_BindsToAnOption()
    {
        // The configuration binder ignores a key that matches no property: a misspelt or stale setting is silently
        // without effect, so every FibRpc__ setting of every deployment must name an option that exists.
        var prefix = FactNames.Setting(FactNames.ServiceSettingPrefix);
        var settings = Repository.Value.Where(s => s.Fact.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var unbound = settings
            .Where(s => typeof(FibRpcOptions).GetProperty(s.Fact[prefix.Length..].Split("__")[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is null)
            .Select(s => $"{s.File} ({s.Location}): no FibRpcOptions property '{s.Fact[prefix.Length..]}'")
            .ToList();

        Assert.NotEmpty(settings);
        Assert.True(unbound.Count == 0, string.Join("\n", unbound));
    }

    [Theory]
    [InlineData(DeploymentFiles.ScaledObject, "queueName: rpc_queue", "queueName: rpc_queue_v2", FactNames.Queue)]
    [InlineData(DeploymentFiles.Compose, "grep -qx rpc_queue", "grep -qx rpc_queue_v2", FactNames.Queue)]
    [InlineData(DeploymentFiles.Trigger, "RabbitMQTrigger(RpcNames.Queue", "RabbitMQTrigger(\"rpc_queue_v2\"", FactNames.Queue)]
    [InlineData(DeploymentFiles.HostJson, "\"prefetchCount\": 1", "\"prefetchCount\": 2", FactNames.Prefetch)]
    [InlineData(DeploymentFiles.Compose, "prefetchCount: \"1\"", "prefetchCount: \"2\"", FactNames.Prefetch)]
    [InlineData(DeploymentFiles.KubernetesDeployment, "prefetchCount\n              value: \"1\"", "prefetchCount\n              value: \"4\"", FactNames.Prefetch)]
    [InlineData(DeploymentFiles.LocalSettings, "\"RabbitMQConnection\"", "\"RabbitMqConnection\"", FactNames.ConnectionSetting)]
    [InlineData(DeploymentFiles.Compose, "RabbitMQConnection:", "RABBITMQ_CONNECTION:", FactNames.ConnectionSetting)]
    [InlineData(DeploymentFiles.TriggerAuthentication, "key: KedaRabbitMQHost", "key: connection", FactNames.ScalerSecretKey)]
    [InlineData(DeploymentFiles.KubernetesDeployment, "key: RabbitMQTopologyConnection", "key: TopologyUri", FactNames.TopologySecretKey)]
    [InlineData(DeploymentFiles.SecretSample, "RabbitMQConnection=", "AMQP_URI=", FactNames.ConnectionSetting)]
    [InlineData(DeploymentFiles.Bicep, "name: 'RabbitMQConnection'", "name: 'RabbitConnection'", FactNames.ConnectionSetting)]
    [InlineData(DeploymentFiles.Kustomization, "- name: fibfunction-rabbitmq", "- name: fibfunction-amqp", FactNames.ConnectionSecret)]
    [InlineData(DeploymentFiles.Compose, "FibRpc__MaxN: \"1000000\"", "FibRpc__MaxN: \"2000000\"", "app setting FibRpc__MaxN")]
    [InlineData(DeploymentFiles.FunctionDockerfile, "dotnet/sdk:10.0", "dotnet/sdk:9.0", FactNames.DotnetVersion)]
    [InlineData(DeploymentFiles.KubernetesDeployment, "value: http://otel-collector:4317", "value: http://otel-collector:4318", FactNames.CollectorOtlpEndpoint)]
    [InlineData(DeploymentFiles.ComposePrometheus, "targets: [\"rabbitmq:15692\"]", "targets: [\"rabbitmq:15691\"]", FactNames.BrokerPrometheusPort)]
    [InlineData(DeploymentFiles.BrokerConf, "prometheus.tcp.port = 15692", "prometheus.tcp.port = 15693", FactNames.BrokerPrometheusPort)]
    [InlineData(DeploymentFiles.ComposeCollector, "endpoint: 0.0.0.0:8889", "endpoint: 0.0.0.0:9464", FactNames.ComposeCollectorPrometheusPort)]
    [InlineData(DeploymentFiles.Dashboard, "queue=\\\"rpc_queue\\\"", "queue=\\\"rpc_queue_v2\\\"", FactNames.Queue)]
    public void ChangingAFactInOneFile_FailsNamingBothFilesAndValues(string file, string original, string changed, string fact)
    {
        var text = RepoFiles.Read(file);
        Assert.True(text.Contains(original, StringComparison.Ordinal), $"{file} no longer contains '{original}': update this test's example");

        var statements = DeploymentFiles.Statements(new Dictionary<string, string> { [file] = ReplaceFirst(text, original, changed) });
        // Other facts may follow from the same line (a dead-letter exchange is also a queue argument): this one must fail.
        var message = Assert.Single(Agreement.Disagreements(statements), m => m.StartsWith($"The {fact} disagrees", StringComparison.Ordinal));

        var before = Repository.Value.Where(s => s.Fact == fact).ToList();
        var after = statements.Where(s => s.Fact == fact && s.File == file).Select(s => s.Value).Distinct().ToList();
        var others = before.Where(s => s.File != file).Select(s => s.File).Distinct().ToList();
        Assert.Contains(file, message, StringComparison.Ordinal);
        Assert.All(after, value => Assert.Contains($"'{value}'", message, StringComparison.Ordinal));
        Assert.Contains($"'{before[0].Value}'", message, StringComparison.Ordinal);
        Assert.NotEmpty(others);
        Assert.All(others, other => Assert.Contains(other, message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DeploymentFiles.KubernetesCollector, "prometheus.io/port: \"8889\"", "prometheus.io/port: \"9464\"", "Prometheus scrape port of otel-collector")]
    [InlineData(DeploymentFiles.KubernetesCollector, "containerPort: 4317", "containerPort: 4319", "OTLP gRPC port of otel-collector")]
    public void ChangingAFactInOnePlaceOfAFile_FailsNamingBothPlaces(string file, string original, string changed, string fact)
    {
        // The collector's manifest states its ports twice itself: in its configuration and in its pod.
        var text = RepoFiles.Read(file);
        Assert.True(text.Contains(original, StringComparison.Ordinal), $"{file} no longer contains '{original}': update this test's example");
        var before = Repository.Value.Where(s => s.Fact == fact).ToList();
        Assert.True(before.Select(s => s.Location).Distinct().Count() >= 2, $"{file} should state the {fact} in two places");

        var statements = DeploymentFiles.Statements(new Dictionary<string, string> { [file] = ReplaceFirst(text, original, changed) });
        var message = Assert.Single(Agreement.Disagreements(statements), m => m.StartsWith($"The {fact} disagrees", StringComparison.Ordinal));

        Assert.All(before.Select(s => s.Location), location => Assert.Contains(location, message, StringComparison.Ordinal));
        Assert.Equal(2, statements.Where(s => s.Fact == fact).Select(s => s.Value).Distinct().Count());
    }

    private static string ReplaceFirst(string text, string original, string changed)
    {
        var at = text.IndexOf(original, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), changed, text.AsSpan(at + original.Length));
    }
}

using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FibRpc.Contract;
using FibRpc.Service;
using FibRpc.Topology;
using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment;

/// <summary>
/// Where one part of a deployment names another (a queue, an app setting, a Secret and its keys, a port), the name is
/// the one the other part really has: otherwise the function, the scaler or the metrics talk past each other.
/// Names the code owns are taken from the code (<see cref="RpcNames"/>), never restated here.
/// </summary>
public sealed partial class WiringTests
{
    private static YamlNode Yaml(string file) => YamlNodes.Load(RepoFiles.Read(file)).Single();

    private static YamlNode KubernetesDeployment => Yaml(DeploymentFiles.KubernetesDeployment);

    private static YamlNode PodSpec => KubernetesDeployment.Child("spec").Child("template").Child("spec")!;

    private static YamlNode FunctionContainer => PodSpec.Items("containers").Single(c => c.Scalar("name") == "fibfunction");

    private static YamlNode ComposeFunction => Yaml(DeploymentFiles.Compose).Child("services").Child("fibfunction")!;

    /// <summary>rabbitmq.env.sample: each key of the generated Secret, with the user whose URI it holds.</summary>
    private static Dictionary<string, string> SecretKeys() =>
        RepoFiles.Read(DeploymentFiles.SecretSample).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => new Uri(pair[1]).UserInfo.Split(':')[0], StringComparer.Ordinal);

    [Fact]
    public void EveryDeployment_GivesTheFunctionItsAmqpUri_UnderTheTriggersConnectionSetting()
    {
        // Compose and the local settings: BrokerRolesTests, which logs in with them.
        var kubernetes = FunctionContainer.Items("env").SingleOrDefault(e => e.Scalar("name") == RpcNames.ConnectionSetting);

        Assert.True(kubernetes is not null, $"{DeploymentFiles.KubernetesDeployment}: the function container has no {RpcNames.ConnectionSetting}");
        Assert.Equal(RpcNames.ConnectionSetting, kubernetes.Child("valueFrom").Child("secretKeyRef").Scalar("key"));
        Assert.Contains($"name: '{RpcNames.ConnectionSetting}'", RepoFiles.Read(DeploymentFiles.Bicep), StringComparison.Ordinal);
        Assert.Equal(BrokerRoles.Function().User, SecretKeys()[RpcNames.ConnectionSetting]);
    }

    [Fact]
    public void TheHostFilter_LoadsTheFunctionByItsName()
    {
        const string filter = "AzureFunctionsJobHost__functions__0";

        Assert.Equal(RpcNames.FunctionName, ComposeFunction.Child("environment").Scalar(filter));
        Assert.Equal(RpcNames.FunctionName, FunctionContainer.Items("env").Single(e => e.Scalar("name") == filter).Scalar("value"));
    }

    [Fact]
    public void EveryFibRpcSetting_OfADeployment_BindsToAnOption()
    {
        // The configuration binder ignores a key that matches no property: a misspelt or stale setting is silently
        // without effect. Deployments set only what differs from the defaults, but what they set must exist.
        var files = new[] { DeploymentFiles.LocalSettings, DeploymentFiles.Compose, DeploymentFiles.KubernetesDeployment, DeploymentFiles.Bicep };
        var unbound = files
            .SelectMany(file => FibRpcSetting().Matches(RepoFiles.Read(file)).Select(match => (file, Name: match.Groups[1].Value)))
            .Where(setting => typeof(FibRpcOptions).GetProperty(setting.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is null)
            .Select(setting => $"{setting.file}: FibRpc__{setting.Name} names no FibRpcOptions property")
            .ToList();

        Assert.True(unbound.Count == 0, string.Join("\n", unbound));
    }

    [Fact]
    public void Keda_ScalesTheFunctionDeployment_OnTheRequestQueue_WithItsOwnUser()
    {
        var scaled = Yaml(DeploymentFiles.ScaledObject).Child("spec");
        var trigger = scaled.Items("triggers").Single(t => t.Scalar("type") == "rabbitmq");
        var authentication = Yaml("deploy/kubernetes/keda-triggerauthentication.yaml");
        var host = authentication.Child("spec").Items("secretTargetRef").Single(r => r.Scalar("parameter") == "host");

        Assert.Equal(RpcNames.Queue, trigger.Child("metadata").Scalar("queueName"));
        Assert.Equal("QueueLength", trigger.Child("metadata").Scalar("mode"));
        Assert.Equal(KubernetesDeployment.Child("metadata").Scalar("name"), scaled.Child("scaleTargetRef").Scalar("name"));
        Assert.Equal(authentication.Child("metadata").Scalar("name"), trigger.Child("authenticationRef").Scalar("name"));
        Assert.Equal(SecretName(), host.Scalar("name"));
        Assert.Equal(BrokerRoles.Scaler.User, SecretKeys()[host.Scalar("key")!]);
    }

    [Fact]
    public void EverySecretTheDeploymentReads_IsTheGeneratedOne_AndEachContainerLogsInAsItsUser()
    {
        var references = new[] { "initContainers", "containers" }
            .SelectMany(list => PodSpec.Items(list))
            .SelectMany(container => container.Items("env").Select(e => (Container: container.Scalar("name"), Secret: e.Child("valueFrom").Child("secretKeyRef"))))
            .Where(reference => reference.Secret is not null)
            .ToList();
        var keys = SecretKeys();

        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.Equal(SecretName(), reference.Secret.Scalar("name")));
        Assert.All(references, reference => Assert.True(keys.ContainsKey(reference.Secret.Scalar("key")!), $"{DeploymentFiles.SecretSample} has no key {reference.Secret.Scalar("key")}"));
        var users = references.ToDictionary(reference => reference.Container!, reference => keys[reference.Secret.Scalar("key")!]);
        Assert.Equal(BrokerRoles.Function().User, users["fibfunction"]);
        Assert.Equal(BrokerRoles.Topology().User, users["topology"]);
    }

    [Fact]
    public void TheImagesAndTheAzureSite_RunTheDotnetVersionTheCodeTargets()
    {
        var target = XDocument.Parse(RepoFiles.Read("Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var version = target["net".Length..];

        foreach (var dockerfile in new[] { DeploymentFiles.FunctionDockerfile, DeploymentFiles.CliDockerfile })
        {
            var images = FromLine().Matches(RepoFiles.Read(dockerfile)).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(images);
            Assert.All(images, image => Assert.True(image.EndsWith(":" + version, StringComparison.Ordinal) || image.EndsWith("dotnet-isolated" + version, StringComparison.Ordinal), $"{dockerfile}: FROM {image} is not .NET {version}"));
        }

        Assert.Contains($"linuxFxVersion: 'DOTNET-ISOLATED|{version}'", RepoFiles.Read(DeploymentFiles.Bicep), StringComparison.Ordinal);
    }

    [Fact]
    public void Telemetry_FlowsWhereItsListenersAre()
    {
        // The function exports OTLP to the collector's Service, which reaches the collector's receiver, and Prometheus
        // scrapes the collector's pod (the function pod has no /metrics) on its exporter's port.
        var collector = YamlNodes.Load(RepoFiles.Read("deploy/kubernetes/otel-collector.yaml")).ToDictionary(d => d.Scalar("kind")!);
        var config = YamlNodes.Load(collector["ConfigMap"].Child("data").Scalar("config.yaml")!).Single();
        var receiver = DeploymentFiles.HostAndPort(config.Child("receivers").Child("otlp").Child("protocols").Child("grpc").Scalar("endpoint")!).Port;
        var exporter = DeploymentFiles.HostAndPort(config.Child("exporters").Child("prometheus").Scalar("endpoint")!).Port;
        var pod = collector["Deployment"].Child("spec").Child("template");
        var service = collector["Service"].Child("spec").Items("ports").Single(p => p.Scalar("name") == "otlp-grpc");
        var endpoint = FunctionContainer.Items("env").Single(e => e.Scalar("name") == "OTEL_EXPORTER_OTLP_ENDPOINT").Scalar("value");

        var annotations = pod.Child("metadata").Child("annotations");
        Assert.Equal(("true", "/metrics", exporter), (annotations.Scalar("prometheus.io/scrape"), annotations.Scalar("prometheus.io/path"), annotations.Scalar("prometheus.io/port")));
        Assert.Contains(pod.Child("spec").Items("containers").SelectMany(c => c.Items("ports")), p => p.Scalar("name") == "otlp-grpc" && p.Scalar("containerPort") == receiver);
        Assert.Equal($"http://{collector["Service"].Child("metadata").Scalar("name")}:{service.Scalar("port")}", endpoint);
    }

    private static string SecretName() => Yaml(DeploymentFiles.Kustomization).Items("secretGenerator").Single().Scalar("name")!;

    [GeneratedRegex(@"\bFibRpc__(\w+?)(?:__\d+)?\b")]
    private static partial Regex FibRpcSetting();

    [GeneratedRegex(@"^FROM\s+(?:--platform=\S+\s+)?(\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();
}

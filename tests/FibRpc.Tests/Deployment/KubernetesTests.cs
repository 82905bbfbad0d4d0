using FibRpc.Contract;
using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment;

/// <summary>deploy/kubernetes (kustomize base + KEDA) against the function, host.json and each other.</summary>
public sealed class KubernetesTests
{
    [Fact]
    public void Kustomization_ListsEveryManifestOfTheFolder()
    {
        var listed = KubernetesManifests.ResourceFiles();
        var present = RepoFiles.Find(".yaml", ".yml")
            .Where(f => f.StartsWith(KubernetesManifests.Folder + "/", StringComparison.Ordinal))
            .Where(f => f is not KubernetesManifests.Kustomization && !f.EndsWith("/kustomizeconfig.yaml", StringComparison.Ordinal))
            .ToList();

        Assert.All(listed, f => Assert.True(RepoFiles.Exists(f), $"{KubernetesManifests.Kustomization} lists '{f}', which does not exist"));
        Assert.All(present, f => Assert.True(listed.Contains(f), $"{f} is not listed in {KubernetesManifests.Kustomization} resources, so kubectl apply -k ignores it"));
        Assert.All(listed, f => Assert.All(YamlDocumentOf.Load(f), d => Assert.True(d.Kind is not null && d.Value("apiVersion").Value is not null, $"{f}: document {d.Index} has no kind/apiVersion")));
    }

    [Fact]
    public void Deployment_GetsTheTriggerConnectionSettingFromTheGeneratedSecret()
    {
        var setting = FunctionSource.Read().ConnectionSetting.Value!;
        var env = KubernetesManifests.FunctionEnvironment();
        var (secretName, keys) = KubernetesManifests.GeneratedSecret();

        Assert.True(env.TryGetValue(setting, out var connection), $"{KubernetesManifests.FunctionDeployment().File}: the function container has no env '{setting}', the setting named by {FunctionSource.File} [RabbitMQTrigger] ConnectionStringSetting");
        Sourced.AssertAgree(new Sourced(secretName.File, $"{secretName.Location} / {KubernetesManifests.SecretSample} key", $"secretKeyRef:{secretName.Value}/{setting}"), connection!);
        Assert.True(keys.ContainsKey(setting), $"{KubernetesManifests.SecretSample} has no key '{setting}', which {connection!.File} reads");
        Sources.AmqpUri(new Sourced(KubernetesManifests.SecretSample, setting, keys[setting]));
    }

    [Fact]
    public void Deployment_LoadsOnlyTheTriggerFunction_WithHostJsonPrefetch()
    {
        var env = KubernetesManifests.FunctionEnvironment();

        Sourced.AssertAgree(FunctionSource.Read().FunctionName, Get(env, "AzureFunctionsJobHost__functions__0"));
        Sourced.AssertAgree(Sources.HostPrefetch(), Get(env, Sources.PrefetchEnv));
    }

    [Fact]
    public void Deployment_EnvValuesAreStrings()
    {
        // Kubernetes rejects a number or boolean where EnvVar.value expects a string.
        var deployment = KubernetesManifests.FunctionDeployment();
        var values = deployment.Root.AllNodes.OfType<YamlMappingNode>()
            .Where(m => m.Children.ContainsKey(new YamlScalarNode("name")) && m.Children.TryGetValue(new YamlScalarNode("value"), out _))
            .Select(m => (Name: ((YamlScalarNode)m[new YamlScalarNode("name")]).Value, Value: m[new YamlScalarNode("value")] as YamlScalarNode))
            .ToList();

        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.False(v.Value is null || YamlDocumentOf.IsUnquotedNonString(v.Value), $"{deployment.File}: env '{v.Name}' value {v.Value} must be a quoted string"));
    }

    [Fact]
    public void Deployment_DeclaresTheTopologyBeforeTheFunctionStarts()
    {
        var deployment = KubernetesManifests.FunctionDeployment();
        var init = deployment.Sequence("spec.template.spec.initContainers").OfType<YamlMappingNode>().ToList();
        var setting = FunctionSource.Read().ConnectionSetting.Value!;
        var topology = init.FirstOrDefault(c => c.Children.TryGetValue(new YamlScalarNode("args"), out var args)
            && ((YamlSequenceNode)args).Children.OfType<YamlScalarNode>().Any(a => a.Value == "topology"));

        Assert.True(topology is not null, $"{deployment.File}: no init container runs 'fibrpc topology'; the host declares {RpcNames.Queue} only passively and stays disabled without it");
        var env = KubernetesManifests.Environment(deployment.File, topology!, "initContainers[topology]");
        Assert.True(env.TryGetValue(setting, out var initConnection), $"{deployment.File}: the topology init container has no env '{setting}'");
        Sourced.AssertAgree(Get(KubernetesManifests.FunctionEnvironment(), setting), initConnection!);
    }

    [Fact]
    public void Deployment_GracePeriod_CoversTheReplyPublishTimeout()
    {
        var deployment = KubernetesManifests.FunctionDeployment();
        var grace = deployment.Value("spec.template.spec.terminationGracePeriodSeconds");
        var timeout = Get(KubernetesManifests.FunctionEnvironment(), "FibRpc__PublishTimeoutSeconds");

        Assert.True(int.TryParse(grace.Value, out var g) && int.TryParse(timeout.Value, out var t) && g > t, $"{grace} must be longer than {timeout}, or an in-flight request is cut off");
    }

    [Fact]
    public void Deployment_LeavesTheReplicaCountToKeda()
    {
        var deployment = KubernetesManifests.FunctionDeployment();

        Assert.True(deployment.Find("spec.replicas") is null, $"{deployment.File}: spec.replicas fights the HPA that KEDA creates; leave it out");
    }

    [Fact]
    public void ScaledObject_ScalesTheDeploymentOnTheTriggerQueueLength()
    {
        var scaled = KubernetesManifests.Single("ScaledObject");
        var deployment = KubernetesManifests.FunctionDeployment();

        Sourced.AssertAgree(new Sourced(deployment.File, "metadata.name", deployment.Name), scaled.Value("spec.scaleTargetRef.name"));
        var triggers = scaled.Sequence("spec.triggers").ToList();
        Assert.True(triggers.Count == 1, $"{scaled.File}: expected one trigger, found {triggers.Count}");
        scaled.Value("spec.triggers.0.type").AssertIs("rabbitmq", "KEDA's RabbitMQ scaler");
        Sourced.AssertAgree(FunctionSource.Read().QueueName, scaled.Value("spec.triggers.0.metadata.queueName"));
        scaled.Value("spec.triggers.0.metadata.mode").AssertIs("QueueLength", "scale on backlog");

        var value = scaled.Value("spec.triggers.0.metadata.value");
        Assert.True(int.TryParse(value.Value, out var target) && target >= 1, $"{value}: must be a whole number of messages >= 1");
        var metadata = (YamlMappingNode)scaled.Node("spec.triggers.0.metadata");
        Assert.All(metadata.Children, m => Assert.False(YamlDocumentOf.IsUnquotedNonString((YamlScalarNode)m.Value), $"{scaled.File}: trigger metadata '{m.Key}' must be a quoted string (KEDA metadata is string to string)"));
    }

    [Fact]
    public void ScaledObject_NeverScalesToZero_AndHasAnUpperBound()
    {
        var scaled = KubernetesManifests.Single("ScaledObject");
        var min = scaled.Value("spec.minReplicaCount");
        var max = scaled.Value("spec.maxReplicaCount");

        Assert.True(int.TryParse(min.Value, out var low) && low >= 1, $"{min}: must be >= 1 so that RPC callers never wait for a cold start");
        Assert.True(int.TryParse(max.Value, out var high) && high >= low, $"{max}: must be set and >= {min}");
    }

    [Fact]
    public void ScaledObject_AuthenticatesWithTheFunctionsConnection()
    {
        var scaled = KubernetesManifests.Single("ScaledObject");
        var setting = FunctionSource.Read().ConnectionSetting.Value!;
        var env = KubernetesManifests.FunctionEnvironment();
        var hostFromEnv = scaled.Value("spec.triggers.0.metadata.hostFromEnv");
        var authRef = scaled.Value("spec.triggers.0.authenticationRef.name");

        Assert.True(hostFromEnv.Value is not null || authRef.Value is not null, $"{scaled.File}: the rabbitmq trigger needs hostFromEnv or an authenticationRef to reach the broker");
        if (hostFromEnv.Value is not null)
        {
            Assert.True(env.ContainsKey(hostFromEnv.Value), $"{hostFromEnv}: the function container has no such env var");
        }

        if (authRef.Value is not null)
        {
            var auth = KubernetesManifests.Single("TriggerAuthentication", authRef.Value);
            var host = auth.Sequence("spec.secretTargetRef").OfType<YamlMappingNode>()
                .SingleOrDefault(r => ((YamlScalarNode)r[new YamlScalarNode("parameter")]).Value == "host");
            Assert.True(host is not null, $"{auth.File}: no secretTargetRef for parameter 'host'");
            var reference = new Sourced(auth.File, "spec.secretTargetRef[host] name/key", $"secretKeyRef:{((YamlScalarNode)host![new YamlScalarNode("name")]).Value}/{((YamlScalarNode)host[new YamlScalarNode("key")]).Value}");
            Sourced.AssertAgree(Get(env, setting), reference);
        }
    }

    private static Sourced Get(Dictionary<string, Sourced> env, string name)
    {
        Assert.True(env.TryGetValue(name, out var value), $"{KubernetesManifests.FunctionDeployment().File}: the function container has no env '{name}'");
        return value!;
    }
}

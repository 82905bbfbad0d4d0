using FibRpc.Service;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment;

/// <summary>What `kubectl apply -k` and KEDA would do with deploy/kubernetes.</summary>
public sealed class KubernetesTests
{
    private const string Folder = "deploy/kubernetes";

    private static YamlNode Deployment => YamlNodes.Load(RepoFiles.Read(DeploymentFiles.KubernetesDeployment)).Single();

    [Fact]
    public void Kustomization_ListsEveryManifestOfTheFolder()
    {
        // kubectl apply -k applies only what resources: lists; a manifest left out is silently not deployed.
        var listed = YamlNodes.Load(RepoFiles.Read(DeploymentFiles.Kustomization)).Single().Items("resources").OfType<YamlScalarNode>().Select(r => $"{Folder}/{r.Value}").ToList();
        var present = RepoFiles.Find(".yaml", ".yml")
            .Where(f => f.StartsWith(Folder + "/", StringComparison.Ordinal) && f != DeploymentFiles.Kustomization && !f.EndsWith("/kustomizeconfig.yaml", StringComparison.Ordinal))
            .ToList();

        Assert.All(listed, f => Assert.True(RepoFiles.Exists(f), $"{DeploymentFiles.Kustomization} lists '{f}', which does not exist"));
        Assert.All(present, f => Assert.True(listed.Contains(f), $"{f} is not listed in {DeploymentFiles.Kustomization} resources, so kubectl apply -k ignores it"));
    }

    [Fact]
    public void StringFields_AreQuotedWhereYamlWouldReadANumber()
    {
        // The API server rejects a number or boolean for EnvVar.value, and KEDA's trigger metadata is string to string.
        var scaled = YamlNodes.Load(RepoFiles.Read(DeploymentFiles.ScaledObject)).Single();
        var env = Deployment.AllNodes.OfType<YamlMappingNode>().Where(m => m.Scalar("name") is not null).Select(m => m.Child("value")).OfType<YamlScalarNode>();
        var metadata = scaled.Child("spec").Items("triggers").SelectMany(t => ((YamlMappingNode)t.Child("metadata")!).Children.Values).OfType<YamlScalarNode>();
        var values = env.Concat(metadata).ToList();

        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.False(
            v.Style == ScalarStyle.Plain && (double.TryParse(v.Value, System.Globalization.CultureInfo.InvariantCulture, out _) || v.Value is "true" or "false"),
            $"{Folder}: value {v.Value} at line {v.Start.Line} must be a quoted string"));
    }

    [Fact]
    public void Deployment_DeclaresTheTopologyAndSetsTheQueueLimitsThroughTheManagementApi_BeforeTheFunctionStarts()
    {
        // The host declares the request queue passively and stays disabled without it. Without --policies management
        // the init container would only print the rabbitmqctl commands: a broker that did not import
        // definitions.json would run rpc_queue unbounded, with no delivery limit.
        var init = Deployment.Child("spec").Child("template").Child("spec").Items("initContainers");
        var topology = init.Select(c => c.Items("args").OfType<YamlScalarNode>().Select(a => a.Value ?? "").ToList()).Single(args => args.Contains("topology"));
        var policies = topology.IndexOf("--policies");

        Assert.True(policies >= 0 && policies + 1 < topology.Count && topology[policies + 1] == "management",
            $"{DeploymentFiles.KubernetesDeployment}: the topology init container runs [{string.Join(' ', topology)}]; it must set the policies with --policies management");
    }

    [Fact]
    public void Deployment_LeavesTheReplicaCountToKeda_AndOutlastsTheReplyPublishTimeout()
    {
        var spec = Deployment.Child("spec");
        var pod = spec.Child("template").Child("spec");
        var timeout = new FibRpcOptions().PublishTimeoutSeconds;

        Assert.True(spec.Child("replicas") is null, $"{DeploymentFiles.KubernetesDeployment}: spec.replicas fights the HPA that KEDA creates");
        Assert.True(int.TryParse(pod.Scalar("terminationGracePeriodSeconds"), out var grace) && grace > timeout, $"{DeploymentFiles.KubernetesDeployment}: terminationGracePeriodSeconds must exceed FibRpc__PublishTimeoutSeconds {timeout}");
    }

}

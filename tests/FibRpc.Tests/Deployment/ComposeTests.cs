using FibRpc.Tests.Deployment.Facts;
using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment;

/// <summary>How the compose stack starts and stops: what no single file can get wrong alone.</summary>
public sealed class ComposeTests
{
    private static YamlNode Services => YamlNodes.Load(RepoFiles.Read(DeploymentFiles.Compose)).Single().Child("services")!;

    [Fact]
    public void Function_StartsOnlyOnceTheBrokerHasImportedTheTopology()
    {
        // The host declares the queue passively: started before the import, the function stays disabled. The
        // health check's queue is held to the others by the fact checks; here: the function waits for it.
        Assert.Equal("service_healthy", Services.Child("fibfunction").Child("depends_on").Child("rabbitmq").Scalar("condition"));
    }

    [Fact]
    public void Broker_LoadsTheDefinitionsFileItMounts()
    {
        var broker = Services.Child("rabbitmq");
        var mounts = broker.Items("volumes").OfType<YamlScalarNode>().Select(v => v.Value!.Split(':')).ToDictionary(p => p[1], p => p[0]);
        var config = mounts.Single(m => m.Key.StartsWith("/etc/rabbitmq/conf.d/", StringComparison.Ordinal));
        var configFile = RepoFiles.Relative(Path.GetFullPath(Path.Combine(RepoFiles.PathOf("deploy/compose"), config.Value)));
        var load = RepoFiles.Read(configFile).Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("load_definitions", StringComparison.Ordinal));
        var target = load.Split('=', 2)[1].Trim();

        Assert.True(mounts.TryGetValue(target, out var source), $"{configFile} loads '{target}' but {DeploymentFiles.Compose} mounts nothing there");
        Assert.Equal(DeploymentFiles.Definitions, RepoFiles.Relative(Path.GetFullPath(Path.Combine(RepoFiles.PathOf("deploy/compose"), source!))));
    }

    [Fact]
    public void Broker_WithDevPasswords_IsPublishedOnLoopbackOnly()
    {
        var ports = Services.Child("rabbitmq").Items("ports").OfType<YamlScalarNode>().Select(p => p.Value!).ToList();

        Assert.NotEmpty(ports);
        Assert.All(ports, p => Assert.True(p.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"{DeploymentFiles.Compose}: port '{p}' is published beyond loopback"));
    }

    [Fact]
    public void Function_StopGracePeriod_OutlastsTheReplyPublishTimeout()
    {
        // A stopping container finishes its request; killed before the reply's confirm, the request is redone.
        var function = Services.Child("fibfunction");
        var grace = function.Scalar("stop_grace_period");
        var timeout = function.Child("environment").Scalar("FibRpc__PublishTimeoutSeconds");

        Assert.True(grace is not null && grace.EndsWith('s') && int.TryParse(grace[..^1], out var seconds) && int.TryParse(timeout, out var limit) && seconds > limit, $"{DeploymentFiles.Compose}: stop_grace_period {grace} must exceed FibRpc__PublishTimeoutSeconds {timeout}");
    }
}

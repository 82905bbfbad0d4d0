using FibRpc.Contract;
using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment;

/// <summary>deploy/compose/compose.yaml against the function, host.json, the broker definitions and the Kubernetes Deployment.</summary>
public sealed class ComposeTests
{
    public const string File = "deploy/compose/compose.yaml";
    private const string Function = "services.fibfunction";
    private const string Broker = "services.rabbitmq";

    private static YamlDocumentOf Compose => YamlDocumentOf.Load(File).Single();

    [Fact]
    public void Function_GetsTheTriggerConnectionSetting_PointingAtTheComposeBroker()
    {
        var setting = FunctionSource.Read().ConnectionSetting.Value!;
        var connection = Compose.Value($"{Function}.environment.{setting}");

        Assert.True(connection.Value is not null, $"{File}: the function service has no environment.{setting}, the setting named by {FunctionSource.File} [RabbitMQTrigger] ConnectionStringSetting");
        var uri = Sources.AmqpUri(connection);
        Assert.True(uri.Host == "rabbitmq", $"{connection}: host must be the compose service 'rabbitmq'");
        var (user, password) = Sources.Credentials(uri);
        Assert.True(Sources.DefinitionsAuthenticate(user, password), $"{connection}: user '{user}' with that password is not defined in {Sources.Definitions}");
    }

    [Fact]
    public void Function_LoadsOnlyTheTriggerFunction_WithHostJsonPrefetch()
    {
        Sourced.AssertAgree(FunctionSource.Read().FunctionName, Compose.Value($"{Function}.environment.AzureFunctionsJobHost__functions__0"));
        Sourced.AssertAgree(Sources.HostPrefetch(), Compose.Value($"{Function}.environment.{Sources.PrefetchEnv}"));
    }

    [Fact]
    public void Function_HasTheSameCoreSettingsAsKubernetes()
    {
        var deployment = KubernetesManifests.FunctionEnvironment();
        var core = deployment.Keys.Where(k => k.StartsWith("FibRpc__", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(core);
        foreach (var key in core)
        {
            Sourced.AssertAgree(deployment[key], Compose.Value($"{Function}.environment.{key}"));
        }
    }

    [Fact]
    public void Function_StartsOnlyAfterTheBrokerIsHealthy()
    {
        Compose.Value($"{Function}.depends_on.rabbitmq.condition").AssertIs("service_healthy", "the host declares rpc_queue passively: the broker must have imported the topology first");
        var test = string.Join(" ", Compose.Sequence($"{Broker}.healthcheck.test").OfType<YamlScalarNode>().Select(s => s.Value));
        Assert.True(test.Contains(RpcNames.Queue, StringComparison.Ordinal), $"{File}: the broker's healthcheck ({test}) does not check that '{RpcNames.Queue}' exists");
    }

    [Fact]
    public void Function_IsBuiltFromTheRepositoryRootWithItsDockerfile()
    {
        var context = Compose.Value($"{Function}.build.context");
        var dockerfile = Compose.Value($"{Function}.build.dockerfile");
        var contextPath = Path.GetFullPath(Path.Combine(RepoFiles.PathOf("deploy/compose"), context.Value ?? "."));

        Assert.True(contextPath.TrimEnd(Path.DirectorySeparatorChar) == RepoFiles.Root.TrimEnd(Path.DirectorySeparatorChar), $"{context}: the build context must be the repository root");
        Assert.True(RepoFiles.Exists(dockerfile.Value ?? ""), $"{dockerfile}: no such file in the repository");
    }

    [Fact]
    public void Broker_MountsTheDefinitionsItIsConfiguredToLoad()
    {
        var mounts = Compose.Sequence($"{Broker}.volumes").OfType<YamlScalarNode>()
            .Select(v => v.Value!.Split(':'))
            .ToDictionary(parts => parts[1], parts => parts[0]);

        var config = mounts.FirstOrDefault(m => m.Key.StartsWith("/etc/rabbitmq/conf.d/", StringComparison.Ordinal));
        Assert.True(config.Key is not null, $"{File}: the broker mounts no file into /etc/rabbitmq/conf.d/");
        var configFile = RepoFiles.Relative(Path.GetFullPath(Path.Combine(RepoFiles.PathOf("deploy/compose"), config.Value)));
        var loadLine = RepoFiles.Read(configFile).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("load_definitions", StringComparison.Ordinal));
        Assert.True(loadLine is not null, $"{configFile}: no load_definitions");
        var target = loadLine!.Split('=', 2)[1].Trim();

        Assert.True(mounts.TryGetValue(target, out var source), $"{configFile} loads '{target}' but {File} mounts nothing there");
        var sourceFile = RepoFiles.Relative(Path.GetFullPath(Path.Combine(RepoFiles.PathOf("deploy/compose"), source!)));
        Assert.True(sourceFile == Sources.Definitions, $"{File} mounts '{sourceFile}' at {target}, expected {Sources.Definitions}");
    }

    [Fact]
    public void Broker_PublishesAmqpOnLoopbackOnly()
    {
        var ports = Compose.Sequence($"{Broker}.ports").OfType<YamlScalarNode>().Select(p => p.Value!).ToList();

        Assert.Contains("127.0.0.1:5672:5672", ports);
        Assert.All(ports, p => Assert.True(p.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"{File}: port '{p}' is published beyond loopback, but the broker has dev-only passwords"));
    }

    [Fact]
    public void Function_StopGracePeriod_CoversTheReplyPublishTimeout()
    {
        var grace = Compose.Value($"{Function}.stop_grace_period");
        var timeout = Compose.Value($"{Function}.environment.FibRpc__PublishTimeoutSeconds");

        Assert.True(grace.Value is { } g && g.EndsWith('s') && int.TryParse(g[..^1], out var seconds) && seconds > int.Parse(timeout.Value!), $"{grace} must be longer than {timeout}");
    }
}

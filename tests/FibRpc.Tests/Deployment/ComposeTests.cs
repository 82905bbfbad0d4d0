using System.Text.RegularExpressions;
using FibRpc.Contract;
using FibRpc.Service;
using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment;

/// <summary>How the compose stack starts and stops: what no single file can get wrong alone.</summary>
public sealed partial class ComposeTests
{
    private const string GrafanaDataSource = "deploy/grafana/provisioning/datasources/prometheus.yaml";
    private const string GrafanaDashboardProvider = "deploy/grafana/provisioning/dashboards/fibrpc.yaml";

    private static YamlNode Services => YamlNodes.Load(RepoFiles.Read(DeploymentFiles.Compose)).Single().Child("services")!;

    [Fact]
    public void Function_StartsOnlyOnceTheBrokerHasTheRequestQueue()
    {
        // The host declares the queue passively: started before the definitions are imported, the function stays disabled.
        var test = string.Join(" ", Services.Child("rabbitmq").Child("healthcheck").Items("test").OfType<YamlScalarNode>().Select(s => s.Value));

        Assert.Contains($"list_queues name | grep -qx {RpcNames.Queue}", test, StringComparison.Ordinal);
        Assert.Equal("service_healthy", Services.Child("fibfunction").Child("depends_on").Child("rabbitmq").Scalar("condition"));
    }

    [Fact]
    public void Broker_LoadsTheDefinitionsFileItMounts()
    {
        var mounts = Mounts(Services.Child("rabbitmq")).ToDictionary(m => m.Target, m => m.Source);
        var configFile = mounts.Single(m => m.Key.StartsWith("/etc/rabbitmq/conf.d/", StringComparison.Ordinal)).Value;
        var load = RepoFiles.Read(configFile).Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("load_definitions", StringComparison.Ordinal));
        var target = load.Split('=', 2)[1].Trim();

        Assert.True(mounts.TryGetValue(target, out var source), $"{configFile} loads '{target}' but {DeploymentFiles.Compose} mounts nothing there");
        Assert.Equal(DeploymentFiles.Definitions, source);
    }

    [Fact]
    public void Function_StopGracePeriod_OutlastsTheReplyPublishTimeout()
    {
        // A stopping container finishes its request; killed before the reply's confirm, the request is redone.
        var grace = Services.Child("fibfunction").Scalar("stop_grace_period");
        var timeout = new FibRpcOptions().PublishTimeoutSeconds;

        Assert.True(grace is not null && grace.EndsWith('s') && int.TryParse(grace[..^1], out var seconds) && seconds > timeout, $"{DeploymentFiles.Compose}: stop_grace_period {grace} must exceed FibRpc__PublishTimeoutSeconds {timeout}");
    }

    [Fact]
    public void EveryPublishedPort_IsOnLoopbackOnly()
    {
        // The broker has well-known dev passwords, and Grafana lets anyone view without logging in.
        var published = ((YamlMappingNode)Services).Children
            .SelectMany(s => s.Value.Items("ports").OfType<YamlScalarNode>().Select(p => (Service: ((YamlScalarNode)s.Key).Value, Port: p.Value!)))
            .ToList();

        Assert.Contains(published, p => p.Service == "rabbitmq");
        Assert.Contains(published, p => p.Service == "grafana");
        Assert.All(published, p => Assert.True(p.Port.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"{DeploymentFiles.Compose}: {p.Service} publishes '{p.Port}' beyond loopback"));
    }

    [Fact]
    public void TelemetryServices_RunOnlyInTheTelemetryProfile()
    {
        // A plain `docker compose up` stays the broker and the function.
        var services = ((YamlMappingNode)Services).Children.ToDictionary(s => ((YamlScalarNode)s.Key).Value!, s => s.Value.Items("profiles").OfType<YamlScalarNode>().Select(p => p.Value).ToList());

        Assert.Empty(services["rabbitmq"]);
        Assert.Empty(services["fibfunction"]);
        foreach (var telemetry in new[] { "otel-collector", "jaeger", "prometheus", "grafana" })
        {
            Assert.True(services.TryGetValue(telemetry, out var profiles) && profiles.SequenceEqual(["telemetry"]), $"{DeploymentFiles.Compose}: {telemetry} must be in the profile telemetry only");
        }
    }

    [Fact]
    public void Telemetry_ScrapeTargetsAndTheDataSource_NameComposeServices_WhereTheyListen()
    {
        // Inside the compose network a target is service:port; a name that is no service resolves to nothing.
        var services = ((YamlMappingNode)Services).Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).ToHashSet(StringComparer.Ordinal);
        var targets = YamlNodes.Load(RepoFiles.Read(DeploymentFiles.ComposePrometheus)).Single().Items("scrape_configs")
            .SelectMany(job => job.Items("static_configs")).SelectMany(s => s.Items("targets")).OfType<YamlScalarNode>().Select(t => DeploymentFiles.HostAndPort(t.Value!)).ToList();
        var dataSource = YamlNodes.Load(RepoFiles.Read(GrafanaDataSource)).Single().Items("datasources").Single().Scalar("url")!;
        var collectorPort = DeploymentFiles.HostAndPort(YamlNodes.Load(RepoFiles.Read("deploy/otel-collector/config.yaml")).Single().Child("exporters").Child("prometheus").Scalar("endpoint")!).Port;
        var brokerPort = BrokerPrometheusPort().Match(RepoFiles.Read("deploy/rabbitmq/20-fibrpc.conf")).Groups[1].Value;

        Assert.All(targets, t => Assert.True(services.Contains(t.Host), $"{DeploymentFiles.ComposePrometheus}: target {t} is no service of {DeploymentFiles.Compose}"));
        Assert.Contains(("otel-collector", collectorPort), targets);
        Assert.Contains(("rabbitmq", brokerPort), targets);
        Assert.Equal(("prometheus", "9090"), DeploymentFiles.HostAndPort(dataSource));
    }

    [Fact]
    public void Grafana_LoadsTheDashboardFromWhereComposeMountsIt()
    {
        var mounts = Mounts(Services.Child("grafana"));
        var provider = YamlNodes.Load(RepoFiles.Read(GrafanaDashboardProvider)).Single().Items("providers").Single().Child("options").Scalar("path")!;

        var dashboard = Assert.Single(mounts, m => m.Source == "deploy/grafana/fibrpc-dashboard.json");
        Assert.Equal(provider, Path.GetDirectoryName(dashboard.Target));
        Assert.Contains(mounts, m => m.Source == RepoFiles.Relative(Path.GetDirectoryName(RepoFiles.PathOf(GrafanaDashboardProvider))!) && m.Target == "/etc/grafana/provisioning/dashboards");
        Assert.Contains(mounts, m => m.Source == RepoFiles.Relative(Path.GetDirectoryName(RepoFiles.PathOf(GrafanaDataSource))!) && m.Target == "/etc/grafana/provisioning/datasources");
    }

    /// <summary>A service's bind mounts: repository-relative source, container target.</summary>
    private static List<(string Source, string Target)> Mounts(YamlNode? service) =>
        service.Items("volumes").OfType<YamlScalarNode>()
            .Select(v => v.Value!.Split(':'))
            .Select(p => (RepoFiles.Relative(Path.GetFullPath(Path.Combine(RepoFiles.PathOf("deploy/compose"), p[0]))), p[1]))
            .ToList();

    [GeneratedRegex(@"^\s*prometheus\.tcp\.port\s*=\s*(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex BrokerPrometheusPort();
}

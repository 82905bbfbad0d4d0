using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment.Facts;

/// <summary>
/// The telemetry files: the compose profile's collector and Prometheus configurations, the broker's
/// rabbitmq_prometheus port, the dashboard's queue names, and the Kubernetes collector (its ConfigMap and pod).
/// Ports are stated where something listens and where something connects; the two must agree.
/// </summary>
internal static partial class TelemetryFacts
{
    /// <summary>The port name of the collector's OTLP/gRPC receiver, in its pod and its Service.</summary>
    private const string OtlpGrpcPortName = "otlp-grpc";

    /// <summary>The compose services that the Prometheus configuration scrapes, and the fact each target's port states.</summary>
    private static readonly IReadOnlyDictionary<string, string> ComposeScrapeTargets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["otel-collector"] = FactNames.ComposeCollectorPrometheusPort,
        ["rabbitmq"] = FactNames.BrokerPrometheusPort,
    };

    /// <summary>deploy/otel-collector/config.yaml: where its Prometheus exporter listens.</summary>
    public static IEnumerable<Statement> ComposeCollector(string file, string text) =>
        CollectorConfig(YamlNodes.Load(text).Single(), file, "", FactNames.ComposeCollectorPrometheusPort, otlpFact: null);

    /// <summary>deploy/prometheus/prometheus.yml: the port of every target on a compose service it knows.</summary>
    public static IEnumerable<Statement> PrometheusConfig(string file, string text)
    {
        var root = YamlNodes.Load(text).Single();
        foreach (var job in root.Child("scrape_configs") is YamlSequenceNode jobs ? jobs.Children : [])
        {
            var name = job.Scalar("job_name");
            var targets = job.Items("static_configs").SelectMany(s => s.Items("targets")).OfType<YamlScalarNode>().Select(t => t.Value ?? "");
            foreach (var target in targets)
            {
                var (host, port) = HostAndPort(target);
                if (ComposeScrapeTargets.TryGetValue(host, out var fact))
                {
                    yield return new Statement(fact, port, file, $"scrape_configs[{name}] target {target}");
                }
            }
        }
    }

    /// <summary>deploy/rabbitmq/20-fibrpc.conf: the port rabbitmq_prometheus listens on.</summary>
    public static IEnumerable<Statement> BrokerConf(string file, string text) =>
        text.Split('\n')
            .Select((line, index) => (Match: PrometheusPort().Match(line), Number: index + 1))
            .Where(l => l.Match.Success)
            .Select(l => new Statement(FactNames.BrokerPrometheusPort, l.Match.Groups[1].Value, file, $"line {l.Number} (prometheus.tcp.port)"))
            .ToList();

    /// <summary>deploy/grafana/fibrpc-dashboard.json: the queues whose depth the broker panels show.</summary>
    public static IEnumerable<Statement> Dashboard(string file, string text)
    {
        using var dashboard = JsonDocument.Parse(text);
        var statements = new List<Statement>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var where = $"panel '{panel.GetProperty("title").GetString()}' target {target.GetProperty("refId").GetString()}";
                foreach (Match queue in QueueLabel().Matches(target.GetProperty("expr").GetString() ?? ""))
                {
                    var name = queue.Groups[1].Value;
                    // The dead-letter queue is named after the request queue (RpcNames.DeadLetterQueueSuffix).
                    var fact = name.EndsWith(FibRpc.Contract.RpcNames.DeadLetterQueueSuffix, StringComparison.Ordinal) ? FactNames.DeadLetterQueue : FactNames.Queue;
                    statements.Add(new Statement(fact, name, file, $"{where} queue label"));
                }
            }
        }

        return statements;
    }

    /// <summary>
    /// deploy/kubernetes/otel-collector.yaml: where the collector listens for OTLP and serves Prometheus (its
    /// configuration), the port its pod is scraped on and exposes OTLP on, and the address its Service gives it.
    /// Facts are named after each object's name; the ConfigMap, Deployment and Service share one.
    /// </summary>
    public static IEnumerable<Statement> KubernetesCollector(string file, string text)
    {
        foreach (var document in YamlNodes.Load(text))
        {
            var name = document.Child("metadata").Scalar("name") ?? "";
            var statements = document.Scalar("kind") switch
            {
                "ConfigMap" when document.Child("data").Scalar("config.yaml") is { } config =>
                    CollectorConfig(YamlNodes.Load(config).Single(), file, $"ConfigMap {name} data.config.yaml ", FactNames.ScrapePort(name), FactNames.OtlpPort(name)),
                "Deployment" => CollectorPod(file, name, document.Child("spec").Child("template")),
                "Service" => document.Child("spec").Items("ports").Where(p => p.Scalar("name") == OtlpGrpcPortName)
                    .Select(p => new Statement(FactNames.CollectorOtlpEndpoint, $"http://{name}:{p.Scalar("port")}", file, $"Service {name} spec.ports[{OtlpGrpcPortName}]")),
                _ => [],
            };
            foreach (var statement in statements)
            {
                yield return statement;
            }
        }
    }

    private static IEnumerable<Statement> CollectorPod(string file, string name, YamlNode? template)
    {
        if (template.Child("metadata").Child("annotations").Scalar("prometheus.io/port") is { } scrapePort)
        {
            yield return new Statement(FactNames.ScrapePort(name), scrapePort, file, $"Deployment {name} spec.template.metadata.annotations[prometheus.io/port]");
        }

        foreach (var port in template.Child("spec").Items("containers").SelectMany(c => c.Items("ports")).Where(p => p.Scalar("name") == OtlpGrpcPortName))
        {
            yield return new Statement(FactNames.OtlpPort(name), port.Scalar("containerPort") ?? "", file, $"Deployment {name} containers[].ports[{OtlpGrpcPortName}].containerPort");
        }
    }

    public static (string Host, string Port) HostAndPort(string address)
    {
        var withoutScheme = address.Contains("://", StringComparison.Ordinal) ? address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..] : address;
        var colon = withoutScheme.LastIndexOf(':');
        return colon < 0 ? (withoutScheme, "") : (withoutScheme[..colon], withoutScheme[(colon + 1)..].TrimEnd('/'));
    }

    private static IEnumerable<Statement> CollectorConfig(YamlNode config, string file, string prefix, string prometheusFact, string? otlpFact)
    {
        if (config.Child("exporters").Child("prometheus").Scalar("endpoint") is { } prometheus)
        {
            yield return new Statement(prometheusFact, HostAndPort(prometheus).Port, file, $"{prefix}exporters.prometheus.endpoint");
        }

        if (otlpFact is not null && config.Child("receivers").Child("otlp").Child("protocols").Child("grpc").Scalar("endpoint") is { } otlp)
        {
            yield return new Statement(otlpFact, HostAndPort(otlp).Port, file, $"{prefix}receivers.otlp.protocols.grpc.endpoint");
        }
    }

    [GeneratedRegex(@"^\s*prometheus\.tcp\.port\s*=\s*(\d+)\s*$")]
    private static partial Regex PrometheusPort();

    [GeneratedRegex(@"\bqueue\s*=\s*""([^""]+)""")]
    private static partial Regex QueueLabel();
}

namespace FibRpc.Tests.Deployment;

/// <summary>The repository's deployment files, by path from its root.</summary>
internal static class DeploymentFiles
{
    public const string LocalSettings = "local.settings.sample.json";
    public const string Compose = "deploy/compose/compose.yaml";
    public const string KubernetesDeployment = "deploy/kubernetes/deployment.yaml";
    public const string ScaledObject = "deploy/kubernetes/keda-scaledobject.yaml";
    public const string Kustomization = "deploy/kubernetes/kustomization.yaml";
    public const string SecretSample = "deploy/kubernetes/rabbitmq.env.sample";
    public const string Bicep = "deploy/azure/main.bicep";
    public const string Definitions = "deploy/rabbitmq/definitions.json";
    public const string ComposePrometheus = "deploy/prometheus/prometheus.yml";
    public const string FunctionDockerfile = "FibFunction/Dockerfile";
    public const string CliDockerfile = "FibRpc.Cli/Dockerfile";

    /// <summary>The port of a "host:port" or "scheme://host:port/" address.</summary>
    public static (string Host, string Port) HostAndPort(string address)
    {
        var withoutScheme = address.Contains("://", StringComparison.Ordinal) ? address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..] : address;
        var colon = withoutScheme.LastIndexOf(':');
        return colon < 0 ? (withoutScheme, "") : (withoutScheme[..colon], withoutScheme[(colon + 1)..].TrimEnd('/'));
    }
}

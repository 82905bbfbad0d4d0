using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment.Facts;

/// <summary>
/// deploy/kubernetes: the Deployment's app settings and secret references, KEDA's ScaledObject and
/// TriggerAuthentication, the kustomization's secret generator and the env file that feeds it.
/// </summary>
internal static class KubernetesFacts
{
    public static IEnumerable<Statement> Read(string file, string text)
    {
        foreach (var document in YamlNodes.Load(text))
        {
            var statements = document.Scalar("kind") switch
            {
                "Deployment" => Deployment(file, document),
                "ScaledObject" => ScaledObject(file, document),
                "TriggerAuthentication" => TriggerAuthentication(file, document),
                "Kustomization" => Kustomization(file, document),
                _ => [],
            };
            foreach (var statement in statements)
            {
                yield return statement;
            }
        }
    }

    /// <summary>
    /// rabbitmq.env.sample: NAME=value lines, one AMQP URI per user. The user in a URI says whose key it is: the
    /// function's key is the connection setting, the topology user's and KEDA's user's keys are facts of their own.
    /// </summary>
    public static IEnumerable<Statement> EnvFile(string file, string text) =>
        text.Split('\n')
            .Select((line, index) => (Line: line.Trim(), Number: index + 1))
            .Where(l => l.Line.Length > 0 && !l.Line.StartsWith('#'))
            .Select(l => (Parts: l.Line.Split('=', 2), l.Number))
            .Where(l => l.Parts.Length == 2 && FactNames.IsAmqpUri(l.Parts[1]))
            .Select(l => (Key: l.Parts[0], User: new Uri(l.Parts[1]).UserInfo.Split(':')[0], l.Number))
            .Select(l => new Statement(
                l.User == FibRpc.Topology.BrokerRoles.Topology().User ? FactNames.TopologySecretKey
                    : l.User == FibRpc.Topology.BrokerRoles.Scaler.User ? FactNames.ScalerSecretKey
                    : FactNames.ConnectionSetting,
                l.Key, file, $"line {l.Number} holds {l.User}'s AMQP URI"))
            .ToList();

    private static IEnumerable<Statement> Deployment(string file, YamlNode deployment)
    {
        if (deployment.Child("metadata").Scalar("name") is { } name)
        {
            yield return new Statement(FactNames.ScaleTarget, name, file, "Deployment metadata.name");
        }

        var pod = deployment.Child("spec").Child("template").Child("spec");
        foreach (var (list, container) in new[] { "initContainers", "containers" }.SelectMany(list => pod.Items(list).Select(c => (list, c))))
        {
            var where = $"{list}[{container.Scalar("name")}].env";
            foreach (var entry in container.Items("env"))
            {
                var variable = entry.Scalar("name") ?? "";
                if (entry.Child("valueFrom").Child("secretKeyRef") is { } secret)
                {
                    // The function's URI sits under the same key as the setting it becomes; the init container logs in
                    // as the topology user, whose URI has a key of its own.
                    yield return new Statement(FactNames.ConnectionSetting, variable, file, $"{where}.{variable} (from a secret)");
                    yield return new Statement(list == "initContainers" ? FactNames.TopologySecretKey : FactNames.ConnectionSetting, secret.Scalar("key") ?? "", file, $"{where}.{variable}.valueFrom.secretKeyRef.key");
                    yield return new Statement(FactNames.ConnectionSecret, secret.Scalar("name") ?? "", file, $"{where}.{variable}.valueFrom.secretKeyRef.name");
                    continue;
                }

                // The function serves no /metrics; where its OTLP goes must be the collector's Service.
                if (variable == FactNames.OtlpEndpointVariable)
                {
                    yield return new Statement(FactNames.CollectorOtlpEndpoint, entry.Scalar("value") ?? "", file, $"{where}.{variable}");
                }

                foreach (var statement in AppSettingFacts.Of(variable, entry.Scalar("value"), file, $"{where}.{variable}"))
                {
                    yield return statement;
                }
            }
        }
    }

    private static IEnumerable<Statement> ScaledObject(string file, YamlNode scaled)
    {
        var spec = scaled.Child("spec");
        if (spec.Child("scaleTargetRef").Scalar("name") is { } target)
        {
            yield return new Statement(FactNames.ScaleTarget, target, file, "ScaledObject spec.scaleTargetRef.name");
        }

        foreach (var (trigger, index) in spec.Items("triggers").Select((t, i) => (t, i)).Where(t => t.t.Scalar("type") == "rabbitmq"))
        {
            var where = $"ScaledObject spec.triggers[{index}]";
            var metadata = trigger.Child("metadata");
            if (metadata.Scalar("queueName") is { } queue)
            {
                yield return new Statement(FactNames.Queue, queue, file, $"{where}.metadata.queueName");
            }

            if (metadata.Scalar("hostFromEnv") is { } hostFromEnv)
            {
                yield return new Statement(FactNames.ConnectionSetting, hostFromEnv, file, $"{where}.metadata.hostFromEnv");
            }

            if (trigger.Child("authenticationRef").Scalar("name") is { } authentication)
            {
                yield return new Statement(FactNames.TriggerAuthentication, authentication, file, $"{where}.authenticationRef.name");
            }
        }
    }

    private static IEnumerable<Statement> TriggerAuthentication(string file, YamlNode authentication)
    {
        if (authentication.Child("metadata").Scalar("name") is { } name)
        {
            yield return new Statement(FactNames.TriggerAuthentication, name, file, "TriggerAuthentication metadata.name");
        }

        foreach (var reference in authentication.Child("spec").Items("secretTargetRef").Where(r => r.Scalar("parameter") == "host"))
        {
            yield return new Statement(FactNames.ScalerSecretKey, reference.Scalar("key") ?? "", file, "TriggerAuthentication spec.secretTargetRef[host].key");
            yield return new Statement(FactNames.ConnectionSecret, reference.Scalar("name") ?? "", file, "TriggerAuthentication spec.secretTargetRef[host].name");
        }
    }

    private static IEnumerable<Statement> Kustomization(string file, YamlNode kustomization) =>
        kustomization.Items("secretGenerator")
            .Select(g => g.Scalar("name"))
            .OfType<string>()
            .Select(name => new Statement(FactNames.ConnectionSecret, name, file, "secretGenerator[].name"))
            .ToList();
}

using FibRpc.Contract;
using FibRpc.Tests.Deployment.Facts;

namespace FibRpc.Tests.Deployment;

/// <summary>The agreement check on small in-memory files: it fails on a disagreement and says where, and only then.</summary>
public sealed class AgreementDesignTests
{
    private const string HostJson = """{ "version": "2.0", "extensions": { "rabbitMQ": { "prefetchCount": 2 } } }""";

    private const string Compose = """
        services:
          fibfunction:
            environment:
              RabbitMQConnection: "amqp://user:pw@rabbitmq:5672/"
              AzureFunctionsJobHost__extensions__rabbitMQ__prefetchCount: "1"
        """;

    private const string ScaledObject = """
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        spec:
          scaleTargetRef:
            name: fibfunction
          triggers:
            - type: rabbitmq
              metadata:
                queueName: requests
        """;

    [Fact]
    public void DisagreeingFiles_AreNamedWithTheirValues()
    {
        var statements = JsonSettingsFacts.HostJson("host.json", HostJson)
            .Concat(ComposeFacts.Read("compose.yaml", Compose))
            .Concat(KubernetesFacts.Read("scaledobject.yaml", ScaledObject))
            .Concat(CodeFacts.Read())
            .ToList();

        var messages = Agreement.Disagreements(statements);

        Assert.Equal(2, messages.Count);
        var prefetch = Assert.Single(messages, m => m.Contains(FactNames.Prefetch, StringComparison.Ordinal));
        Assert.Contains("'2' in host.json (extensions.rabbitMQ.prefetchCount)", prefetch, StringComparison.Ordinal);
        Assert.Contains($"'1' in compose.yaml (services.fibfunction.environment.{FactNames.PrefetchEnvironmentVariable})", prefetch, StringComparison.Ordinal);
        var queue = Assert.Single(messages, m => m.Contains(FactNames.Queue, StringComparison.Ordinal));
        Assert.Contains("'requests' in scaledobject.yaml (ScaledObject spec.triggers[0].metadata.queueName)", queue, StringComparison.Ordinal);
        Assert.Contains($"'{RpcNames.Queue}' in {CodeFacts.RpcNamesFile} (RpcNames.Queue)", queue, StringComparison.Ordinal);
    }

    [Fact]
    public void AgreeingFiles_PassAndAFactStatedOnceCannotDisagree()
    {
        var statements = JsonSettingsFacts.HostJson("host.json", HostJson.Replace("2", "1", StringComparison.Ordinal))
            .Concat(ComposeFacts.Read("compose.yaml", Compose))
            .Concat(KubernetesFacts.Read("scaledobject.yaml", ScaledObject.Replace("requests", RpcNames.Queue, StringComparison.Ordinal)))
            .Concat(CodeFacts.Read())
            .ToList();

        Assert.Contains(statements, s => s.Fact == FactNames.ScaleTarget);
        Assert.Empty(Agreement.Disagreements(statements));
    }

    [Fact]
    public void AFileThatDoesNotStateARequiredFact_IsNamed()
    {
        var statements = KubernetesFacts.Read("scaledobject.yaml", ScaledObject.Replace("queueName", "queueLength", StringComparison.Ordinal)).ToList();
        var requirements = new[] { new Requirement("scaledobject.yaml", FactNames.Queue, "KEDA scales on that queue's length") };

        var message = Assert.Single(Agreement.Missing(statements, requirements));
        Assert.Equal($"scaledobject.yaml does not state the {FactNames.Queue} (KEDA scales on that queue's length)", message);
        Assert.Empty(Agreement.Missing(KubernetesFacts.Read("scaledobject.yaml", ScaledObject), requirements));
    }
}

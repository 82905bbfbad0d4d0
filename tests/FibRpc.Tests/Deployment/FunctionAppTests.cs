using System.Xml.Linq;
using FibRpc.Contract;

namespace FibRpc.Tests.Deployment;

/// <summary>The function app's build: host.json reaches its output, and its trigger attribute can be read.</summary>
public sealed class FunctionAppTests
{
    [Fact]
    public void FunctionProject_LinksRootHostJsonIntoBuildAndPublishOutput()
    {
        // func start runs from the build output and the image from the publish output: without host.json there the
        // host writes a default one, and prefetchCount 1 is lost.
        const string project = "FibFunction/FibFunction.csproj";
        var link = XDocument.Parse(RepoFiles.Read(project)).Descendants()
            .Where(e => e.Name.LocalName is "None" or "Content")
            .FirstOrDefault(e => ((string?)e.Attribute("Include"))?.Replace('\\', '/') == "../host.json");

        Assert.True(link is not null, $"{project}: no <None Include=\"../host.json\">");
        Assert.Equal("host.json", (string?)link!.Attribute("Link"));
        Assert.True((string?)link.Attribute("CopyToOutputDirectory") is "PreserveNewest" or "Always", $"{project}: ../host.json is not copied to the build output");
        Assert.True((string?)link.Attribute("CopyToPublishDirectory") is null or "PreserveNewest" or "Always", $"{project}: ../host.json is not copied to the publish output");
    }

    [Fact]
    public void TriggerAttribute_IsReadFromLiteralsAndRpcNames_AndUnreadableArgumentsFail()
    {
        var literal = FunctionSource.Parse("""
            class C {
                [Function("F")]
                public void Run([RabbitMQTrigger("q", ConnectionStringSetting = "Conn")] byte[] body) { }
            }
            """);
        Assert.Equal(("F", "q", "Conn"), (literal.FunctionName.Value, literal.QueueName.Value, literal.ConnectionSetting.Value));

        var qualified = FunctionSource.Parse("""
            class C {
                [Microsoft.Azure.Functions.Worker.Function(FibRpc.Contract.RpcNames.FunctionName)]
                public void Run([RabbitMQTriggerAttribute(queueName: RpcNames.Queue, ConnectionStringSetting = RpcNames.ConnectionSetting)] byte[] body) { }
            }
            """);
        Assert.Equal((RpcNames.FunctionName, RpcNames.Queue, RpcNames.ConnectionSetting), (qualified.FunctionName.Value, qualified.QueueName.Value, qualified.ConnectionSetting.Value));

        Assert.ThrowsAny<Exception>(() => FunctionSource.Parse("""
            class C {
                [Function("F")]
                public void Run([RabbitMQTrigger(SomeOther.Queue, ConnectionStringSetting = "Conn")] byte[] body) { }
            }
            """));
        Assert.ThrowsAny<Exception>(() => FunctionSource.Parse("""
            class C {
                [Function("F")]
                public void Run([RabbitMQTrigger("q")] byte[] body) { }
            }
            """));
    }

    [Fact]
    public void FunctionProject_PublishesReadyToRunForLinuxX64()
    {
        // The Functions guidance for isolated-worker cold start: precompiled code, which needs a runtime identifier.
        const string project = "FibFunction/FibFunction.csproj";
        var properties = XDocument.Parse(RepoFiles.Read(project)).Descendants()
            .Where(e => e.Parent?.Name.LocalName == "PropertyGroup" && e.Parent.Attribute("Condition") is null)
            .GroupBy(e => e.Name.LocalName)
            .ToDictionary(g => g.Key, g => g.Last().Value.Trim(), StringComparer.Ordinal);

        Assert.True(properties.TryGetValue("PublishReadyToRun", out var readyToRun) && readyToRun == "true", $"{project}: PublishReadyToRun must be true (unconditionally): the worker starts on every scale-out");
        Assert.True(properties.TryGetValue("RuntimeIdentifier", out var rid) && rid == "linux-x64", $"{project}: RuntimeIdentifier is '{rid}', expected linux-x64 (the Elastic Premium plan and the image are Linux x64; ReadyToRun needs it)");
        Assert.False(properties.TryGetValue("SelfContained", out var selfContained) && selfContained == "true", $"{project}: the Functions host provides the runtime; a self-contained worker cannot use the platform's placeholder");
    }

    private static string? NormalizePath(string? path) => path?.Replace('\\', '/');
}

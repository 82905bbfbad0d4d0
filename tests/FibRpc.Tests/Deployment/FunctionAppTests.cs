using System.Text.Json;
using System.Xml.Linq;
using FibRpc.Contract;

namespace FibRpc.Tests.Deployment;

/// <summary>The function's own configuration: its trigger attribute, host.json, the local settings sample, the csproj.</summary>
public sealed class FunctionAppTests
{
    [Fact]
    public void TriggerAttribute_ResolvesToTheSharedNames()
    {
        var function = FunctionSource.Read();

        // The deployment files are checked against these values; they must be the names the core uses too.
        Sourced.AssertAgree(new Sourced("FibRpc.Contract/RpcNames.cs", "RpcNames.Queue", RpcNames.Queue), function.QueueName);
        Sourced.AssertAgree(new Sourced("FibRpc.Contract/RpcNames.cs", "RpcNames.ConnectionSetting", RpcNames.ConnectionSetting), function.ConnectionSetting);
        Sourced.AssertAgree(new Sourced("FibRpc.Contract/RpcNames.cs", "RpcNames.FunctionName", RpcNames.FunctionName), function.FunctionName);
    }

    [Fact]
    public void TriggerAttribute_AcceptsStringLiteralsAndRejectsWhatItCannotResolve()
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
    public void HostJson_IsVersion2_WithoutExtensionBundle_AndPrefetchOne()
    {
        using var json = JsonDocument.Parse(RepoFiles.Read(Sources.HostJson));
        var root = json.RootElement;

        new Sourced(Sources.HostJson, "version", root.TryGetProperty("version", out var version) ? version.GetString() : null)
            .AssertIs("2.0", "the Functions v4 host reads only host.json version 2.0");
        Assert.False(root.TryGetProperty("extensionBundle", out _), $"{Sources.HostJson}: extensionBundle must not be set in an isolated-worker app (extensions come from the worker packages)");
        Sources.HostPrefetch().AssertIs("1", "one message at a time per instance; the KEDA target and the RPC latency assume it");
    }

    [Fact]
    public void LocalSettingsSample_IsIsolated_AndNamesTheTriggerConnectionWithALoopbackUri()
    {
        using var json = JsonDocument.Parse(RepoFiles.Read(Sources.LocalSettings));
        var values = json.RootElement.GetProperty("Values");
        var connectionSetting = FunctionSource.Read().ConnectionSetting.Value!;

        new Sourced(Sources.LocalSettings, "Values.FUNCTIONS_WORKER_RUNTIME", values.TryGetProperty("FUNCTIONS_WORKER_RUNTIME", out var runtime) ? runtime.GetString() : null)
            .AssertIs("dotnet-isolated", "the app is an isolated-worker app");

        var connection = new Sourced(Sources.LocalSettings, $"Values.{connectionSetting}", values.TryGetProperty(connectionSetting, out var uri) ? uri.GetString() : null);
        Assert.True(connection.Value is not null, $"{Sources.LocalSettings} has no Values.{connectionSetting}, the setting named by {FunctionSource.File} [RabbitMQTrigger] ConnectionStringSetting");
        var parsed = Sources.AmqpUri(connection);
        Assert.True(parsed.IsLoopback, $"{connection}: a local settings sample must point at a broker on loopback");
    }

    [Fact]
    public void LocalSettingsSample_CredentialsExistOnTheComposeBroker()
    {
        // `func start` with the sample settings talks to the compose broker on localhost:5672.
        var connectionSetting = FunctionSource.Read().ConnectionSetting.Value!;
        using var json = JsonDocument.Parse(RepoFiles.Read(Sources.LocalSettings));
        var connection = new Sourced(Sources.LocalSettings, $"Values.{connectionSetting}", json.RootElement.GetProperty("Values").GetProperty(connectionSetting).GetString());
        var (user, password) = Sources.Credentials(Sources.AmqpUri(connection));

        Assert.True(Sources.DefinitionsAuthenticate(user, password), $"{connection}: user '{user}' with that password is not defined in {Sources.Definitions}");
    }

    [Fact]
    public void FunctionProject_LinksRootHostJsonIntoBuildAndPublishOutput()
    {
        const string project = "FibFunction/FibFunction.csproj";
        var link = XDocument.Parse(RepoFiles.Read(project)).Descendants()
            .Where(e => e.Name.LocalName is "None" or "Content")
            .FirstOrDefault(e => NormalizePath((string?)e.Attribute("Include")) == "../host.json");

        Assert.True(link is not null, $"{project}: no <None Include=\"../host.json\">; without it the host writes a default host.json and prefetchCount 1 is lost");
        Assert.Equal("host.json", (string?)link!.Attribute("Link"));
        var copy = (string?)link.Attribute("CopyToOutputDirectory") ?? link.Element(link.Name.Namespace + "CopyToOutputDirectory")?.Value;
        Assert.True(copy is "PreserveNewest" or "Always", $"{project}: ../host.json has CopyToOutputDirectory='{copy}', expected PreserveNewest or Always");
        var publish = (string?)link.Attribute("CopyToPublishDirectory") ?? link.Element(link.Name.Namespace + "CopyToPublishDirectory")?.Value;
        Assert.True(publish is null or "PreserveNewest" or "Always", $"{project}: ../host.json has CopyToPublishDirectory='{publish}'; the published app (container image, Azure) needs it");
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

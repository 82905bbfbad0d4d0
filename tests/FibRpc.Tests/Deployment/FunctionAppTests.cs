using System.Text.Json;
using System.Xml.Linq;
using FibRpc.Contract;

namespace FibRpc.Tests.Deployment;

/// <summary>What the Functions host reads of the app: its trigger, and host.json with prefetch 1 in its output.</summary>
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
    public void HostJson_SetsPrefetchOne()
    {
        // Without it the Functions host falls back to prefetch 30: one instance would hoard 30 requests.
        using var json = JsonDocument.Parse(RepoFiles.Read(DeploymentFiles.HostJson), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        Assert.Equal(1, json.RootElement.GetProperty("extensions").GetProperty("rabbitMQ").GetProperty("prefetchCount").GetInt32());
    }

    [Fact]
    public void Trigger_ConsumesTheRequestQueue_WithTheConnectionSettingAndFunctionNameOfTheContract()
    {
        var trigger = FunctionSource.Parse(RepoFiles.Read(FunctionSource.File));

        Assert.Equal((RpcNames.FunctionName, RpcNames.Queue, RpcNames.ConnectionSetting), trigger);
    }
}

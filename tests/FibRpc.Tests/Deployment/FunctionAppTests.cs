using System.Xml.Linq;
using FibRpc.Contract;

namespace FibRpc.Tests.Deployment;

/// <summary>What the Functions host reads of the app: its trigger, and host.json in its output.</summary>
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
    public void Trigger_ConsumesTheRequestQueue_WithTheConnectionSettingAndFunctionNameOfTheContract()
    {
        // FibFunction is not built by the tests (it needs the worker packages): its attributes are read as text.
        var source = RepoFiles.Read("FibFunction/FibTrigger.cs");

        Assert.Contains($"[Function({nameof(RpcNames)}.{nameof(RpcNames.FunctionName)})]", source, StringComparison.Ordinal);
        Assert.Contains($"[RabbitMQTrigger({nameof(RpcNames)}.{nameof(RpcNames.Queue)}, ConnectionStringSetting = {nameof(RpcNames)}.{nameof(RpcNames.ConnectionSetting)})]", source, StringComparison.Ordinal);
    }
}

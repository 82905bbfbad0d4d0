using System.Xml.Linq;

namespace FibRpc.Tests.Deployment;

/// <summary>Where the fibrpc publish profiles live.</summary>
internal static class CliProfiles
{
    public const string Project = "FibRpc.Cli/FibRpc.Cli.csproj";
    public const string Aot = "FibRpc.Cli/Properties/PublishProfiles/Aot.pubxml";
    public const string ReadyToRun = "FibRpc.Cli/Properties/PublishProfiles/ReadyToRun.pubxml";
}

/// <summary>
/// fibrpc publishes as Native AOT by default and ReadyToRun as the fallback, while `dotnet pack` keeps producing the
/// framework-dependent .NET tool; the project runs the trim and AOT analyzers on every build.
/// </summary>
public sealed class CliPublishTests
{
    [Fact]
    public void AotProfile_IsNativeAot_ForLinuxX64_WithTheAvx2Baseline()
    {
        var profile = Properties(CliProfiles.Aot);

        Assert.Equal("true", profile.GetValueOrDefault("PublishAot"));
        Assert.Equal("linux-x64", profile.GetValueOrDefault("RuntimeIdentifier"));
        Assert.Equal("Release", profile.GetValueOrDefault("Configuration"));
        // Without it Native AOT compiles for x86-64-v2, where Avx2.IsSupported is false and the engine runs scalar.
        Assert.Equal("x86-64-v3", profile.GetValueOrDefault("IlcInstructionSet"));
    }

    [Fact]
    public void ReadyToRunProfile_IsTheFrameworkDependentFallback()
    {
        var profile = Properties(CliProfiles.ReadyToRun);

        Assert.Equal("true", profile.GetValueOrDefault("PublishReadyToRun"));
        Assert.Equal("linux-x64", profile.GetValueOrDefault("RuntimeIdentifier"));
        Assert.Equal("false", profile.GetValueOrDefault("SelfContained"));
        Assert.False(profile.ContainsKey("PublishAot"));
    }

    [Fact]
    public void Project_RunsTheAotAnalyzers_ButLeavesPublishAotToTheProfile()
    {
        var project = Properties(CliProfiles.Project);

        Assert.Equal("true", project.GetValueOrDefault("IsAotCompatible"));
        Assert.Equal("true", project.GetValueOrDefault("PackAsTool"));
        // A .NET tool package is framework-dependent IL: PublishAot in the project would break `dotnet pack`.
        Assert.False(project.ContainsKey("PublishAot"), $"{CliProfiles.Project}: PublishAot belongs in {CliProfiles.Aot}, not the project");
    }

    private static Dictionary<string, string> Properties(string file) =>
        XDocument.Parse(RepoFiles.Read(file)).Descendants()
            .Where(e => e.Parent?.Name.LocalName == "PropertyGroup" && e.Parent.Attribute("Condition") is null)
            .GroupBy(e => e.Name.LocalName)
            .ToDictionary(g => g.Key, g => g.Last().Value.Trim(), StringComparer.Ordinal);
}

using System.Text.RegularExpressions;

namespace FibRpc.Tests.Deployment;

/// <summary>The Dockerfiles follow the target framework and keep the app where the Functions host looks for it.</summary>
public sealed partial class DockerfileTests
{
    private const string FunctionDockerfile = "FibFunction/Dockerfile";
    private const string CliDockerfile = "FibRpc.Cli/Dockerfile";

    [Fact]
    public void FunctionImage_BuildsAndRunsOnTheTargetFramework()
    {
        var images = BaseImages(FunctionDockerfile);
        var version = Sources.DotnetVersion();

        Sourced.AssertAgree(new Sourced(Sources.BuildProps, $"TargetFramework {Sources.TargetFramework().Value} -> build image", $"mcr.microsoft.com/dotnet/sdk:{version}"), images[0]);
        Sourced.AssertAgree(new Sourced(Sources.BuildProps, $"TargetFramework {Sources.TargetFramework().Value} -> run image", $"mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated{version}"), images[^1]);
    }

    [Fact]
    public void FunctionImage_PutsTheAppInTheScriptRoot_WithNonSecretDefaultsOnly()
    {
        var text = RepoFiles.Read(FunctionDockerfile);

        Assert.Matches(@"COPY\s+--from=\S+\s+\S+\s+/home/site/wwwroot\s*$", LastStage(text));
        Assert.Matches(@"AzureWebJobsScriptRoot=/home/site/wwwroot\b", text);
        Assert.Matches(@"FUNCTIONS_WORKER_RUNTIME=dotnet-isolated\b", text);
        Assert.Matches(@"AzureFunctionsJobHost__Logging__Console__IsEnabled=true\b", text);
        Assert.Contains("test -f /app/publish/host.json", text);

        var setting = FunctionSource.Read().ConnectionSetting.Value!;
        Assert.False(Regex.IsMatch(text, $@"^\s*(ENV|ARG)\b.*\b{Regex.Escape(setting)}\b", RegexOptions.Multiline), $"{FunctionDockerfile}: sets '{setting}'; the connection is a secret and comes from the environment at run time");
        Assert.DoesNotContain("amqp://", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CliImage_BuildsAndRunsOnTheTargetFramework()
    {
        var images = BaseImages(CliDockerfile);
        var version = Sources.DotnetVersion();

        Sourced.AssertAgree(new Sourced(Sources.BuildProps, $"TargetFramework {Sources.TargetFramework().Value} -> build image", $"mcr.microsoft.com/dotnet/sdk:{version}"), images[0]);
        // Native AOT: the executable needs the runtime's native dependencies only, not the runtime.
        Sourced.AssertAgree(new Sourced(Sources.BuildProps, $"TargetFramework {Sources.TargetFramework().Value} -> run image", $"mcr.microsoft.com/dotnet/runtime-deps:{version}"), images[^1]);
    }

    [Fact]
    public void CliImage_PublishesNativeAotWithTheProfile_AndRunsTheExecutable()
    {
        var text = RepoFiles.Read(CliDockerfile);

        Assert.Matches(@"dotnet publish\s+FibRpc\.Cli/FibRpc\.Cli\.csproj\b[^\n]*-p:PublishProfile=Aot\b", text);
        Assert.Matches(@"apt-get install\b[^\n]*\bclang\b[^\n]*\bzlib1g-dev\b", text);
        Assert.True(RepoFiles.Exists(CliProfiles.Aot), $"{CliDockerfile}: publishes with the Aot profile, but {CliProfiles.Aot} is missing");
        var last = LastStage(text);
        Assert.Matches(@"ENTRYPOINT\s*\[\s*""/app/fibrpc""\s*\]", last);
        Assert.Matches(new Regex(@"^COPY\s+--from=\S+\s+/app/publish/FibRpc\.Cli\s+/app/fibrpc\s*$", RegexOptions.Multiline), last);
        Assert.DoesNotContain("dotnet FibRpc.Cli.dll", last, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FunctionDockerfile)]
    [InlineData(CliDockerfile)]
    public void EveryCopiedPath_ExistsInTheBuildContext(string dockerfile)
    {
        // Build context is the repository root (see the Dockerfiles' headers and compose's build.context).
        var sources = CopyFromContext().Matches(RepoFiles.Read(dockerfile))
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.True(RepoFiles.Exists(s) || Directory.Exists(RepoFiles.PathOf(s)), $"{dockerfile}: COPY {s}: not in the repository root"));
    }

    [Fact]
    public void DockerIgnore_KeepsLocalSecretsAndBuildOutputOut()
    {
        var lines = RepoFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("**/local.settings.json", lines);
        Assert.Contains("deploy/kubernetes/rabbitmq.env", lines);
        Assert.Contains("**/bin/", lines);
        Assert.Contains("**/obj/", lines);
    }

    private static List<Sourced> BaseImages(string dockerfile)
    {
        var images = FromLine().Matches(RepoFiles.Read(dockerfile))
            .Select((m, i) => new Sourced(dockerfile, $"FROM #{i + 1}", m.Groups[1].Value))
            .ToList();
        Assert.True(images.Count >= 2, $"{dockerfile}: expected a multi-stage build (build image, run image), found {images.Count} FROM lines");
        return images;
    }

    private static string LastStage(string text) => text[FromLine().Matches(text)[^1].Index..];

    [GeneratedRegex(@"^FROM\s+(?:--platform=\S+\s+)?(\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^COPY\s+(?!--from)([^\r\n]+)$", RegexOptions.Multiline)]
    private static partial Regex CopyFromContext();
}

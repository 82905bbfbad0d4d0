using System.Text.RegularExpressions;
using FibRpc.Tests.Deployment.Facts;

namespace FibRpc.Tests.Deployment;

/// <summary>What `docker build` would trip over: a COPY of a path that is not in the build context (the repository root).</summary>
public sealed partial class DockerfileTests
{
    [Theory]
    [InlineData(DeploymentFiles.FunctionDockerfile)]
    [InlineData(DeploymentFiles.CliDockerfile)]
    public void EveryCopiedPath_ExistsInTheBuildContext(string dockerfile)
    {
        var sources = CopyFromContext().Matches(RepoFiles.Read(dockerfile))
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.True(RepoFiles.Exists(s) || Directory.Exists(RepoFiles.PathOf(s)), $"{dockerfile}: COPY {s}: not in the repository root"));
    }

    [Fact]
    public void DockerIgnore_KeepsLocalSecretsOutOfTheBuildContext()
    {
        // The context is the repository root, where local.settings.json and rabbitmq.env hold real URIs.
        var lines = RepoFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("**/local.settings.json", lines);
        Assert.Contains("deploy/kubernetes/rabbitmq.env", lines);
    }

    [GeneratedRegex(@"^COPY\s+(?!--from)([^\r\n]+)$", RegexOptions.Multiline)]
    private static partial Regex CopyFromContext();
}

using System.Text.RegularExpressions;
using FibRpc.Tests.Architecture;

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

    [Theory]
    [InlineData(DeploymentFiles.FunctionDockerfile, "FibFunction")]
    [InlineData(DeploymentFiles.CliDockerfile, "FibRpc.Cli")]
    public void EveryProjectTheImageBuildsFrom_IsCopiedForRestoreAndBuild(string dockerfile, string project)
    {
        // A project reference missing from the image fails only in docker build, long after the tests ran.
        var text = RepoFiles.Read(dockerfile);
        foreach (var reached in ProjectGraphTests.Reachable(project).Append(project).Select(ProjectGraphTests.RelativePathOf))
        {
            var folder = Path.GetDirectoryName(reached)!.Replace('\\', '/');
            Assert.True(text.Contains($"COPY {reached} {folder}/", StringComparison.Ordinal), $"{dockerfile}: does not copy {reached} before the restore");
            Assert.True(text.Contains($"COPY {folder}/ {folder}/", StringComparison.Ordinal), $"{dockerfile}: does not copy {folder}/ before the build");
        }
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

using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment;

/// <summary>
/// The deployment files through the tools that read them for real: yamllint (every YAML file), docker-compose v1
/// (the compose file), the Bicep compiler and linter. No Kubernetes schema validator or Dockerfile linter is packaged
/// for the build machines (see README.md, "What was validated here").
/// </summary>
public sealed class ValidatorTests
{
    private const string Compose = "deploy/compose/compose.yaml";
    private const string Bicep = "deploy/azure/main.bicep";
    private const string BicepParameters = "deploy/azure/main.bicepparam";

    [Fact]
    public void Yamllint_AcceptsEveryYamlFile()
    {
        var yamllint = ExternalTool.Require("yamllint", "yamllint");
        var files = RepoFiles.Find(".yaml", ".yml");

        Assert.Contains(Compose, files);
        Assert.Contains("deploy/kubernetes/keda-scaledobject.yaml", files);
        var result = ExternalTool.Run(yamllint, ["--strict", "--format", "parsable", .. files]);
        Assert.True(result.ExitCode == 0, $"yamllint (settings in .yamllint.yaml):\n{result}");
    }

    [Fact]
    public void DockerCompose_AcceptsTheComposeFile_AndEveryMountedFileExists()
    {
        var compose = ExternalTool.Require("docker-compose", "docker-compose");
        var text = RepoFiles.Read(Compose);
        // Compose v1 (Debian's docker-compose) knows every key of this file except the top-level project name, which
        // only Compose v2 reads; it is passed as -p instead.
        var root = (YamlMappingNode)YamlNodes.Load(text).Single();
        var name = root.Children.TryGetValue(new YamlScalarNode("name"), out var value) ? ((YamlScalarNode)value).Value! : "fibfunctions";
        var folder = Directory.CreateTempSubdirectory("fibrpc-compose-");
        var copy = Path.Combine(folder.FullName, "compose.yaml");
        File.WriteAllLines(copy, text.Split('\n').Where(line => !line.StartsWith("name:", StringComparison.Ordinal)));

        var result = ExternalTool.Run(compose, "--file", copy, "--project-directory", RepoFiles.PathOf("deploy/compose"), "--project-name", name, "config");
        folder.Delete(recursive: true);

        Assert.True(result.ExitCode == 0, $"docker-compose config {Compose}:\n{result}");
        var resolved = YamlNodes.Load(result.Output).Single();
        var mounts = ((YamlMappingNode)resolved.Child("services")!).Children.Values.SelectMany(s => s.Items("volumes")).ToList();
        Assert.NotEmpty(mounts);
        foreach (var mount in mounts)
        {
            var source = mount is YamlScalarNode scalar ? scalar.Value!.Split(':')[0] : mount.Scalar("source")!;
            Assert.True(File.Exists(source) || Directory.Exists(source), $"{Compose}: mounts '{source}', which does not exist");
        }
    }

    [Fact]
    public void Bicep_CompilesAndLintsWithoutWarnings()
    {
        var build = ExternalTool.Run(BicepCli.Path, "build", Bicep, "--stdout");
        Assert.True(build.ExitCode == 0 && !build.Error.Contains("Warning", StringComparison.OrdinalIgnoreCase), $"bicep build {Bicep}:\n{build}");

        var lint = ExternalTool.Run(BicepCli.Path, "lint", Bicep);
        Assert.True(lint.ExitCode == 0 && lint.Output.Trim().Length == 0 && lint.Error.Trim().Length == 0, $"bicep lint {Bicep}:\n{lint}");

        // The parameters file against the template: names, types and @allowed values.
        var parameters = ExternalTool.Run(BicepCli.Path, "build-params", BicepParameters, "--stdout");
        Assert.True(parameters.ExitCode == 0, $"bicep build-params {BicepParameters}:\n{parameters}");
    }
}

namespace FibRpc.Tests.Deployment;

public sealed class YamlFilesTests
{
    public static TheoryData<string> YamlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in RepoFiles.Find(".yaml", ".yml"))
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void EveryYamlFile_Parses(string file)
    {
        var documents = YamlDocumentOf.Load(file);

        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.True(d.Root is not null, $"{file}: document {d.Index} is empty"));
    }

    [Fact]
    public void TheSearch_FindsTheDeploymentFiles()
    {
        // Guards the theory above against passing on an empty list.
        var found = RepoFiles.Find(".yaml", ".yml");

        Assert.Contains(ComposeTests.File, found);
        Assert.Contains(KubernetesManifests.Kustomization, found);
        Assert.Contains("deploy/kubernetes/deployment.yaml", found);
        Assert.Contains("deploy/kubernetes/keda-scaledobject.yaml", found);
    }
}

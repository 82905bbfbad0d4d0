using System.Text.Json;
using FibRpc.Contract;
using FibRpc.Tests.Deployment.Facts;

namespace FibRpc.Tests.Deployment;

/// <summary>
/// The compose broker creates only the users of its definitions file (no default guest), so every URI meant for it
/// must carry credentials that file defines, or the function and func start are refused at login.
/// </summary>
public sealed class CredentialsTests
{
    [Fact]
    public void TheComposeFunctionAndTheLocalSettings_LogInToTheComposeBroker()
    {
        var compose = YamlNodes.Load(RepoFiles.Read(DeploymentFiles.Compose)).Single()
            .Child("services").Child("fibfunction").Child("environment").Scalar(RpcNames.ConnectionSetting);
        using var local = JsonDocument.Parse(RepoFiles.Read(DeploymentFiles.LocalSettings));
        var sample = local.RootElement.GetProperty("Values").GetProperty(RpcNames.ConnectionSetting).GetString();

        Assert.True(compose is not null && Credentials.UriAuthenticates(compose), $"{DeploymentFiles.Compose}: '{compose}' has no user/password defined in {Credentials.Definitions}");
        Assert.True(sample is not null && Credentials.UriAuthenticates(sample), $"{DeploymentFiles.LocalSettings}: '{sample}' has no user/password defined in {Credentials.Definitions}");
    }
}

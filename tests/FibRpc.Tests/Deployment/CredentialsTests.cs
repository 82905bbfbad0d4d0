using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FibRpc.Contract;

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

        Assert.True(compose is not null && Authenticates(compose), $"{DeploymentFiles.Compose}: '{compose}' has no user/password defined in {DeploymentFiles.Definitions}");
        Assert.True(sample is not null && Authenticates(sample), $"{DeploymentFiles.LocalSettings}: '{sample}' has no user/password defined in {DeploymentFiles.Definitions}");
    }

    /// <summary>Whether the URI's user and password match a user of the definitions file (RabbitMQ's salted SHA-256).</summary>
    private static bool Authenticates(string uri)
    {
        var credentials = new Uri(uri).UserInfo.Split(':', 2).Select(Uri.UnescapeDataString).ToArray();
        using var json = JsonDocument.Parse(RepoFiles.Read(DeploymentFiles.Definitions));
        return json.RootElement.GetProperty("users").EnumerateArray()
            .Where(user => user.GetProperty("name").GetString() == credentials[0])
            .Select(user => Convert.FromBase64String(user.GetProperty("password_hash").GetString()!))
            .Any(stored => stored.AsSpan(4).SequenceEqual(SHA256.HashData([.. stored.AsSpan(0, 4), .. Encoding.UTF8.GetBytes(credentials.ElementAtOrDefault(1) ?? "")])));
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FibRpc.Contract;
using FibRpc.Topology;

namespace FibRpc.Tests.Deployment;

/// <summary>
/// The deployment's broker users (<see cref="BrokerRoles"/>, written into the definitions file) grant each job what it
/// touches and nothing beside, and each deployment file logs in as the user of its job. (The broker's side of it, each
/// user allowed its job and refused the rest, is in the integration tests, on a node that loads the definitions file.)
/// </summary>
public sealed class BrokerRolesTests
{
    [Fact]
    public void TheComposeFunctionAndTheLocalSettings_LogInToTheComposeBroker_TheFunctionAsTheFunctionUser()
    {
        // The compose broker creates only the users of its definitions file (no default guest): a URI meant for it
        // without credentials that file defines is refused at login.
        var compose = YamlNodes.Load(RepoFiles.Read(DeploymentFiles.Compose)).Single()
            .Child("services").Child("fibfunction").Child("environment").Scalar(RpcNames.ConnectionSetting);
        using var local = JsonDocument.Parse(RepoFiles.Read(DeploymentFiles.LocalSettings));
        var sample = local.RootElement.GetProperty("Values").GetProperty(RpcNames.ConnectionSetting).GetString();

        Assert.True(compose is not null && AuthenticatedUser(compose) == BrokerRoles.Function().User, $"{DeploymentFiles.Compose}: '{compose}' does not log in as {BrokerRoles.Function().User} with a password of {DeploymentFiles.Definitions}");
        Assert.True(sample is not null && AuthenticatedUser(sample) is not null, $"{DeploymentFiles.LocalSettings}: '{sample}' has no user/password defined in {DeploymentFiles.Definitions}");
    }

    /// <summary>The URI's user if its password matches that user's in the definitions file (RabbitMQ's salted SHA-256).</summary>
    private static string? AuthenticatedUser(string uri)
    {
        var credentials = new Uri(uri).UserInfo.Split(':', 2).Select(Uri.UnescapeDataString).ToArray();
        using var json = JsonDocument.Parse(RepoFiles.Read(DeploymentFiles.Definitions));
        var matches = json.RootElement.GetProperty("users").EnumerateArray()
            .Where(user => user.GetProperty("name").GetString() == credentials[0])
            .Select(user => Convert.FromBase64String(user.GetProperty("password_hash").GetString()!))
            .Any(stored => stored.AsSpan(4).SequenceEqual(SHA256.HashData([.. stored.AsSpan(0, 4), .. Encoding.UTF8.GetBytes(credentials.ElementAtOrDefault(1) ?? "")])));
        return matches ? credentials[0] : null;
    }

    [Fact]
    public void ThePatterns_MatchWhatEachJobTouches_AndNothingBeside()
    {
        static bool Matches(string pattern, string name) => System.Text.RegularExpressions.Regex.IsMatch(name, pattern);
        var function = BrokerRoles.Function();
        var topology = BrokerRoles.Topology();

        Assert.True(Matches(function.Read, RpcNames.Queue));
        Assert.False(Matches(function.Read, RpcNames.DeadLetterQueue));
        Assert.False(Matches(function.Read, "rpc_queueX"));
        Assert.True(Matches(function.Write, "amq.default"));
        Assert.False(Matches(function.Write, "amqXdefault"));
        Assert.All([RpcNames.Queue, RpcNames.DeadLetterExchange, RpcNames.DeadLetterQueue], name => Assert.True(Matches(topology.Configure, name)));
        Assert.False(Matches(topology.Configure, "rpc_queue.other"));
        Assert.True(Matches(BrokerRoles.Caller.Configure, "amq.gen-JzTY20BRgKO-HjmUJj0wLg"));
        Assert.False(Matches(BrokerRoles.Caller.Configure, RpcNames.Queue));
        // A tag grants management API powers beyond the permissions: policymaker for the topology user alone.
        Assert.Equal([BrokerRoles.PolicymakerTag], topology.Tags);
        Assert.All(BrokerRoles.All().Where(role => role.User != topology.User), role => Assert.Empty(role.Tags));
    }
}

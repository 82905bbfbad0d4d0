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
    public void TheFunctionLogsInAsTheFunctionUser_AndKubernetesGivesEachPartItsOwnUser()
    {
        var compose = YamlNodes.Load(RepoFiles.Read(DeploymentFiles.Compose)).Single()
            .Child("services").Child("fibfunction").Child("environment").Scalar(RpcNames.ConnectionSetting)!;
        var sample = RepoFiles.Read(DeploymentFiles.SecretSample).Split('\n')
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => new Uri(p[1].Trim()).UserInfo.Split(':')[0]);

        Assert.Equal(BrokerRoles.Function().User, new Uri(compose).UserInfo.Split(':')[0]);
        Assert.Equal(BrokerRoles.Function().User, sample[RpcNames.ConnectionSetting]);
        Assert.Equal(3, sample.Values.Distinct().Count());
        Assert.Contains(BrokerRoles.Topology().User, sample.Values);
        Assert.Contains(BrokerRoles.Scaler.User, sample.Values);
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

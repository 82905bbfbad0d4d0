using FibRpc.Tests.Deployment;
using FibRpc.Topology;

namespace FibRpc.Tests.Topology;

/// <summary>deploy/rabbitmq/definitions.json is the topology code's output, so it cannot say anything the code does not.</summary>
public sealed class BrokerDefinitionsTests
{
    private const string File = "deploy/rabbitmq/definitions.json";

    [Fact]
    public void TheCommittedDefinitionsFile_IsWhatTheTopologyCodeWrites()
    {
        Assert.True(
            RepoFiles.Read(File) == BrokerDefinitions.Json(),
            $"{File} is not what the topology code writes; regenerate it with: scripts/fibrpc topology --definitions {File}");
    }
}

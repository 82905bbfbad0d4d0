namespace FibRpc.IntegrationTests.Topology;

/// <summary>Tests against the node with the management plugin: one at a time, never beside another node's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManagementCollection : ICollectionFixture<ManagementBroker>
{
    public const string Name = "management";
}

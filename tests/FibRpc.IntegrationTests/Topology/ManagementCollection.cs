namespace FibRpc.IntegrationTests.Topology;

/// <summary>Tests against the node with the management plugin: one at a time, since each clears its policies.</summary>
[CollectionDefinition(Name)]
public sealed class ManagementCollection : ICollectionFixture<ManagementBroker>
{
    public const string Name = "management";
}

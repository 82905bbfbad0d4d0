namespace FibRpc.IntegrationTests.Permissions;

/// <summary>Tests against the node that loaded the deployment's definitions: one at a time, never beside another node's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PermissionsCollection : ICollectionFixture<DefinitionsBroker>
{
    public const string Name = "permissions";
}

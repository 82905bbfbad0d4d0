namespace FibRpc.IntegrationTests.Permissions;

/// <summary>Tests against the node that loaded the deployment's definitions, which they share.</summary>
[CollectionDefinition(Name)]
public sealed class PermissionsCollection : ICollectionFixture<DefinitionsBroker>
{
    public const string Name = "permissions";
}

using System.Globalization;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Topology;

namespace FibRpc.IntegrationTests.Permissions;

/// <summary>
/// A node of the tests' own that loads deploy/rabbitmq/definitions.json at boot, exactly as the compose broker does
/// (load_definitions): the users, their permissions and the topology come from the checked-in file, nothing else.
/// </summary>
public sealed class DefinitionsBroker : NodeFixture
{
    /// <summary>The URI of one of the file's users, with its dev-only password.</summary>
    public string UriOf(string user) =>
        $"amqp://{user}:{BrokerDefinitions.DevelopmentPassword(user)}@127.0.0.1:{Node.AmqpPort.ToString(CultureInfo.InvariantCulture)}/";

    protected override async Task<BrokerNode> StartAsync() => await BrokerNode.StartAsync("fibrpc-perms", new BrokerNodeOptions
    {
        Files = new Dictionary<string, byte[]> { ["definitions.json"] = await File.ReadAllBytesAsync(RepositoryFiles.PathOf("deploy/rabbitmq/definitions.json")) },
        ConfigLines = ["load_definitions = {dir}/definitions.json"],
    });
}

/// <summary>Tests against the node that loaded the deployment's definitions, which they share.</summary>
[CollectionDefinition(Name)]
public sealed class PermissionsCollection : ICollectionFixture<DefinitionsBroker>
{
    public const string Name = "permissions";
}

using System.Globalization;
using FibRpc.IntegrationTests.Infrastructure;

namespace FibRpc.IntegrationTests.Permissions;

/// <summary>
/// A node of the tests' own that loads deploy/rabbitmq/definitions.json at boot, exactly as the compose broker does
/// (load_definitions): the users, their permissions and the topology come from the checked-in file, nothing else.
/// </summary>
public sealed class DefinitionsBroker : IAsyncLifetime
{
    /// <summary>The dev-only passwords of deploy/rabbitmq/definitions.json (documented in deploy/rabbitmq/20-fibrpc.conf).</summary>
    private static readonly Dictionary<string, string> Passwords = new(StringComparer.Ordinal)
    {
        ["fibrpc-function"] = "function-dev-only",
        ["fibrpc-keda"] = "keda-dev-only",
        ["fibrpc-caller"] = "caller-dev-only",
        ["fibrpc-topology"] = "topology-dev-only",
    };

    private BrokerNode? _node;

    public BrokerNode Node => _node ?? throw new InvalidOperationException("the node is not started");

    public string UriOf(string user) =>
        $"amqp://{user}:{Passwords[user]}@127.0.0.1:{Node.AmqpPort.ToString(CultureInfo.InvariantCulture)}/";

    public static string RepoFile(string relative)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FibFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("the tests run outside the repository"), relative);
    }

    public async Task InitializeAsync()
    {
        _node = await BrokerNode.StartAsync("fibrpc-perms", new BrokerNodeOptions
        {
            Files = new Dictionary<string, byte[]> { ["definitions.json"] = await File.ReadAllBytesAsync(RepoFile("deploy/rabbitmq/definitions.json")) },
            ConfigLines = ["load_definitions = {dir}/definitions.json"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}

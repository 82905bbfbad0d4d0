using System.Globalization;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using FibRpc.Topology;

namespace FibRpc.IntegrationTests.Tls;

/// <summary>
/// A node of the tests' own with an amqps listener on 127.0.0.1 and 127.0.0.2 (the second address is not in the
/// server certificate, for the name-mismatch case), its certificate signed by a CA the test made. The plain
/// listener stays, so the fixture can declare the topology the way an operator would.
/// </summary>
public sealed class TlsBroker : IAsyncLifetime
{
    public const string Queue = "tls_rpc_queue";

    private BrokerNode? _node;

    public BrokerNode Node => _node ?? throw new InvalidOperationException("the node is not started");

    public TestCertificates Certificates { get; private set; } = null!;

    public int TlsPort { get; private set; }

    /// <summary>amqps:// to the given host with guest's credentials (guest may log in over loopback, which 127/8 is).</summary>
    public string TlsUri(string host = "localhost", string user = "guest", string password = "guest") =>
        $"amqps://{user}:{password}@{host}:{TlsPort.ToString(CultureInfo.InvariantCulture)}/";

    public async Task InitializeAsync()
    {
        Certificates = await TestCertificates.CreateAsync(Path.Combine(Path.GetTempPath(), "fibrpc-tls-" + Guid.NewGuid().ToString("N")[..8]));
        (TlsPort, _) = BrokerNode.FindFreePorts();
        var port = TlsPort.ToString(CultureInfo.InvariantCulture);
        _node = await BrokerNode.StartAsync("fibrpc-tls", new BrokerNodeOptions
        {
            Files = new Dictionary<string, byte[]>
            {
                ["ca.pem"] = await File.ReadAllBytesAsync(Certificates.CaFile),
                ["server.pem"] = await File.ReadAllBytesAsync(Certificates.ServerCertificateFile),
                ["server.key"] = await File.ReadAllBytesAsync(Certificates.ServerKeyFile),
            },
            ConfigLines =
            [
                $"listeners.ssl.1 = 127.0.0.1:{port}",
                $"listeners.ssl.2 = 127.0.0.2:{port}",
                "ssl_options.cacertfile = {dir}/ca.pem",
                "ssl_options.certfile = {dir}/server.pem",
                "ssl_options.keyfile = {dir}/server.key",
                // Clients authenticate with passwords; the broker does not ask for client certificates.
                "ssl_options.verify = verify_none",
                "ssl_options.fail_if_no_peer_cert = false",
            ],
        });

        await using var connection = await RabbitConnection.CreateFactory(Node.Uri.ToString(), "tls-topology").CreateConnectionAsync();
        await RpcTopology.DeclareAsync(connection, Queue);
    }

    /// <summary>The broker's connections by client-provided name, each with whether it is TLS.</summary>
    public async Task<IReadOnlyDictionary<string, bool>> ConnectionsAsync()
    {
        var json = await Node.RunCtlAsync("-q", "list_connections", "client_properties", "ssl", "--formatter", "json");
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(c => (Name: ConnectionName(c.GetProperty("client_properties")), Tls: c.GetProperty("ssl").GetBoolean()))
            .Where(c => c.Name is not null)
            .GroupBy(c => c.Name!)
            .ToDictionary(g => g.Key, g => g.All(c => c.Tls));
    }

    // rabbitmqctl renders client properties as [name, type, value] triples.
    private static string? ConnectionName(System.Text.Json.JsonElement properties) =>
        properties.ValueKind != System.Text.Json.JsonValueKind.Array ? null
            : properties.EnumerateArray()
                .Where(p => p.ValueKind == System.Text.Json.JsonValueKind.Array && p.GetArrayLength() == 3 && p[0].GetString() == "connection_name")
                .Select(p => p[2].GetString())
                .FirstOrDefault();

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        if (Certificates is not null)
        {
            Directory.Delete(Certificates.Folder, recursive: true);
        }
    }
}

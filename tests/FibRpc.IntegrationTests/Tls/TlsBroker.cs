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
public sealed class TlsBroker : NodeFixture
{
    public const string Queue = "tls_rpc_queue";

    public TestCertificates Certificates { get; private set; } = null!;

    public int TlsPort { get; } = FreePort.Next();

    /// <summary>amqps:// to the given host with guest's credentials (guest may log in over loopback, which 127/8 is).</summary>
    public string TlsUri(string host = "localhost") => $"amqps://guest:guest@{host}:{TlsPort.ToString(CultureInfo.InvariantCulture)}/";

    protected override async Task<BrokerNode> StartAsync()
    {
        Certificates = await TestCertificates.CreateAsync(Path.Combine(Path.GetTempPath(), "fibrpc-tls-" + Guid.NewGuid().ToString("N")[..8]));
        var port = TlsPort.ToString(CultureInfo.InvariantCulture);
        var node = await BrokerNode.StartAsync("fibrpc-tls", new BrokerNodeOptions
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

        await using var connection = await RabbitConnection.CreateFactory(node.Uri.ToString(), "tls-topology").CreateConnectionAsync();
        await RpcTopology.DeclareAsync(connection, Queue);
        return node;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Certificates is not null)
        {
            Directory.Delete(Certificates.Folder, recursive: true);
        }
    }
}

/// <summary>Tests against the TLS node of their own, which they share.</summary>
[CollectionDefinition(Name)]
public sealed class TlsCollection : ICollectionFixture<TlsBroker>
{
    public const string Name = "tls";
}

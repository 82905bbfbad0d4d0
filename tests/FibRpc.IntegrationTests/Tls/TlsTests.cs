using System.Text;
using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using FibRpc.Service;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.IntegrationTests.Tls;

/// <summary>
/// amqps:// for real: the service's connections, FibRpcClient and fibrpc verify the broker against the configured
/// CA file, and a certificate from another CA, or for another name, is refused with a reason a person can act on.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class TlsTests(TlsBroker broker)
{
    [InProcessFact]
    public async Task Service_client_and_fibrpc_call_talk_over_TLS_verified_against_the_CA_file()
    {
        await using var service = await ServiceUnderTest.StartAsync(TlsBroker.Queue, settings: new Dictionary<string, string?>
        {
            [RpcNames.ConnectionSetting] = broker.TlsUri(),
            [RpcNames.CaFileSetting] = broker.Certificates.CaFile,
        });
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions
        {
            Connection = broker.TlsUri(),
            CaFile = broker.Certificates.CaFile,
            RequestQueue = TlsBroker.Queue,
            ClientName = "tls-client",
            Timeout = TimeSpan.FromSeconds(30),
        });

        Assert.Equal("832040", await client.CallAsync(30));

        var connections = (await broker.Node.ListConnectionsAsync()).ToLookup(connection => connection.ClientProvidedName);
        foreach (var name in new[] { ConnectionNames.Consumer(ConnectionNames.Service), ConnectionNames.Publisher(ConnectionNames.Service), "tls-client" })
        {
            Assert.True(connections.Contains(name), $"no connection '{name}' on the broker: {string.Join(", ", connections.Select(c => c.Key))}");
            Assert.True(connections[name].All(connection => connection.Tls), $"connection '{name}' is not TLS");
        }

        using var call = new ChildProcess("dotnet", [FibRpcCli.Dll, "call", "100", "--queue", TlsBroker.Queue, "--connection", broker.TlsUri(), "--ca-file", broker.Certificates.CaFile]);
        Assert.Equal(0, await call.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("354224848179261915075", call.Output, StringComparison.Ordinal);
    }

    [InProcessFact]
    public async Task A_certificate_from_another_CA_is_refused_and_the_error_says_so()
    {
        var error = await Assert.ThrowsAsync<BrokerUnreachableException>(() => ConnectAsync(broker.TlsUri(), broker.Certificates.OtherCaFile));

        var described = ConnectionErrors.Describe(error, broker.TlsUri());
        Assert.Contains("is not trusted by the CA file", described, StringComparison.Ordinal);
        Assert.Contains("FibRpc-Test-CA", described, StringComparison.Ordinal);
    }

    [InProcessFact]
    public async Task Without_a_CA_file_only_the_system_store_is_trusted_so_a_private_CA_is_refused()
    {
        await Assert.ThrowsAsync<BrokerUnreachableException>(() => ConnectAsync(broker.TlsUri(), caFile: null));
    }

    [InProcessFact]
    public async Task A_host_name_the_certificate_does_not_list_is_refused_even_with_the_right_CA()
    {
        // 127.0.0.2 reaches the same broker, but the certificate names only localhost and 127.0.0.1.
        var error = await Assert.ThrowsAsync<BrokerUnreachableException>(() => ConnectAsync(broker.TlsUri("127.0.0.2"), broker.Certificates.CaFile));

        Assert.Contains("does not name the host", ConnectionErrors.Describe(error, broker.TlsUri("127.0.0.2")), StringComparison.Ordinal);
    }

    [InProcessFact]
    public async Task fibrpc_reports_a_refused_certificate_in_one_line_and_fails()
    {
        using var call = new ChildProcess("dotnet", [FibRpcCli.Dll, "call", "10", "--queue", TlsBroker.Queue, "--connection", broker.TlsUri(), "--ca-file", broker.Certificates.OtherCaFile]);

        Assert.NotEqual(0, await call.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("is not trusted by the CA file", call.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", call.Output, StringComparison.Ordinal);
    }

    private static async Task ConnectAsync(string uri, string? caFile)
    {
        await using var connection = await RabbitConnection.CreateFactory(uri, "tls-probe", caFile).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        Assert.Fail("the connection was accepted");
    }
}

using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Topology;

namespace FibRpc.IntegrationTests.Topology;

/// <summary>
/// A node of the tests' own with the management plugin on a free loopback port, loading
/// deploy/rabbitmq/definitions.json at boot as the compose broker does: the deployment's users (the topology user
/// with its policymaker tag), the topology, and the policies, which the tests clear to see them set again.
/// </summary>
public sealed class ManagementBroker : NodeFixture
{
    private HttpClient? _http;

    public int ManagementPort { get; private set; }

    /// <summary>The management API's root, http://127.0.0.1:port/.</summary>
    public string ManagementUrl => $"http://127.0.0.1:{ManagementPort.ToString(CultureInfo.InvariantCulture)}/";

    public string UriOf(string user, string password) =>
        $"amqp://{System.Uri.EscapeDataString(user)}:{System.Uri.EscapeDataString(password)}@127.0.0.1:{Node.AmqpPort.ToString(CultureInfo.InvariantCulture)}/";

    /// <summary>The URI of one of the definitions file's users, with its dev-only password.</summary>
    public string UriOf(string user) => UriOf(user, BrokerDefinitions.DevelopmentPassword(user));

    protected override async Task<BrokerNode> StartAsync()
    {
        ManagementPort = FreePort.Next();
        var node = await BrokerNode.StartAsync("fibrpc-mgmt", new BrokerNodeOptions
        {
            Plugins = ["rabbitmq_management"],
            Files = new Dictionary<string, byte[]> { ["definitions.json"] = await File.ReadAllBytesAsync(RepositoryFiles.PathOf("deploy/rabbitmq/definitions.json")) },
            ConfigLines =
            [
                "load_definitions = {dir}/definitions.json",
                $"management.tcp.port = {ManagementPort.ToString(CultureInfo.InvariantCulture)}",
                "management.tcp.ip = 127.0.0.1",
            ],
            // The management plugin adds a few seconds to a boot on a busy machine.
            BootTimeout = TimeSpan.FromSeconds(120),
        });

        // The node reports itself started once its plugins run; the HTTP listener is checked anyway, so that a
        // failure here names the listener rather than surfacing as a test's connection refused.
        _http = new HttpClient { BaseAddress = new System.Uri(ManagementUrl), Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("guest:guest")));
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var overview = await _http.GetAsync("api/overview");
                return overview.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"the management API of {node} answers at {ManagementUrl}. Node log:\n{node.LogTail()}", TimeSpan.FromSeconds(60));
        return node;
    }

    /// <summary>
    /// Deletes every policy of "/" and waits until no queue follows one, as guest through the management API: a
    /// reset before each test, which the tests then check through rabbitmqctl. The API answers in milliseconds where
    /// each rabbitmqctl call starts an Erlang VM of its own.
    /// </summary>
    public async Task ClearPoliciesAsync()
    {
        var http = _http ?? throw new InvalidOperationException("the node is not started");
        foreach (var policy in await GetArrayAsync(http, "api/policies/%2F"))
        {
            using var deleted = await http.DeleteAsync($"api/policies/%2F/{System.Uri.EscapeDataString(policy.GetProperty("name").GetString() ?? "")}");
            deleted.EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(
            async () => (await GetArrayAsync(http, "api/queues/%2F?columns=name,policy")).All(queue => !queue.TryGetProperty("policy", out var policy) || policy.ValueKind != JsonValueKind.String || policy.GetString() is not { Length: > 0 }),
            "no queue of \"/\" follows a policy");
    }

    private static async Task<List<JsonElement>> GetArrayAsync(HttpClient http, string path)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(path));
        return [.. document.RootElement.EnumerateArray().Select(element => element.Clone())];
    }

    public override async Task DisposeAsync()
    {
        _http?.Dispose();
        await base.DisposeAsync();
    }
}

using System.Globalization;
using System.Text.Json;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Topology;
using FibRpc.Topology.Management;
using Xunit.Abstractions;

namespace FibRpc.IntegrationTests.Topology;

/// <summary>
/// `fibrpc topology --policies management`, as Kubernetes' init container runs it, against a broker with the
/// management plugin that loaded the deployment's definitions: the topology user sets the limits through the API and
/// the queues follow them; a second run changes nothing, a third with other limits changes them in place; a user
/// without the policymaker tag, a port without the plugin, a missing virtual host and a stronger policy each fail with
/// an error that says so.
/// </summary>
[Collection(ManagementCollection.Name)]
public sealed class ManagementPolicyTests(ManagementBroker broker, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string TopologyUser = BrokerRoles.Topology().User;
    private static readonly string[] OurPolicies = [$"{RpcNames.Queue}-limits", $"{RpcNames.DeadLetterQueue}-limits"];

    /// <summary>
    /// Each test starts with the queues of the definitions file and none of its policies, so that a policy found on a
    /// queue afterwards was set by what the test ran, not imported at boot.
    /// </summary>
    public async Task InitializeAsync()
    {
        await broker.ClearPoliciesAsync();
        var queues = await QueuePoliciesAsync();
        Assert.True(queues.ContainsKey(RpcNames.Queue) && queues.ContainsKey(RpcNames.DeadLetterQueue), $"the definitions file declared the queues: {string.Join(", ", queues.Keys)}");
        Assert.All(queues.Values, queue => Assert.True(queue.Policy is null, $"a policy is left on a queue: {queue.Policy}"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [InProcessFact]
    public async Task The_topology_user_sets_the_limits_through_the_API_and_the_queues_follow_them_again_and_again()
    {
        var uri = broker.UriOf(TopologyUser);
        var first = await TopologyAsync(0, uri, "--max-length", "777", "--delivery-limit", "7");
        Assert.Contains($"queue '{RpcNames.Queue}' follows '{RpcNames.Queue}-limits'", first, StringComparison.Ordinal);
        Assert.Contains($"{broker.ManagementUrl} as {TopologyUser}", first, StringComparison.Ordinal);

        // What the broker itself says, through rabbitmqctl rather than the API the tool used.
        var queues = await QueuePoliciesAsync();
        Assert.Equal($"{RpcNames.Queue}-limits", queues[RpcNames.Queue].Policy);
        Assert.Equal($"{RpcNames.DeadLetterQueue}-limits", queues[RpcNames.DeadLetterQueue].Policy);
        var request = queues[RpcNames.Queue].Effective;
        Assert.Equal(777, request.GetProperty("max-length").GetInt32());
        Assert.Equal(7, request.GetProperty("delivery-limit").GetInt32());
        Assert.Equal("reject-publish", request.GetProperty("overflow").GetString());
        Assert.Equal("at-least-once", request.GetProperty("dead-letter-strategy").GetString());
        var deadLetters = queues[RpcNames.DeadLetterQueue].Effective;
        Assert.Equal(QueueLimits.Default.DeadLetterMaxLength, deadLetters.GetProperty("max-length").GetInt32());
        Assert.Equal(QueueLimits.Default.DeadLetterMessageTtlMilliseconds, deadLetters.GetProperty("message-ttl").GetInt64());
        Assert.Equal("drop-head", deadLetters.GetProperty("overflow").GetString());

        // The init container runs at every pod start: the same again is fine and leaves the same two policies.
        var again = await TopologyAsync(0, uri, "--max-length", "777", "--delivery-limit", "7");
        Assert.Equal(OurPolicies.Order(StringComparer.Ordinal), (await PolicyNamesAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(777, (await QueuePoliciesAsync())[RpcNames.Queue].Effective.GetProperty("max-length").GetInt32());

        // Other limits change the policy on the running queue.
        var changed = await TopologyAsync(0, uri, "--max-length", "888");
        var after = (await QueuePoliciesAsync())[RpcNames.Queue].Effective;
        Assert.Equal(888, after.GetProperty("max-length").GetInt32());
        Assert.Equal(QueueLimits.Default.DeliveryLimit, after.GetProperty("delivery-limit").GetInt32());

        output.WriteLine(changed);
        Assert.All(new[] { first, again, changed }, text => Assert.DoesNotContain(BrokerDefinitions.DevelopmentPassword(TopologyUser), text, StringComparison.Ordinal));
    }

    [InProcessTheory]
    [InlineData("")]
    [InlineData("management")]
    [InlineData("monitoring")]
    public async Task A_user_without_the_policymaker_tag_is_told_it_needs_it(string tags)
    {
        var user = $"mgmt-untagged-{(tags.Length == 0 ? "none" : tags)}";
        const string password = "Pw-untagged-never-print-me";
        var role = BrokerRoles.Topology();
        await broker.Node.RunCtlAsync("add_user", user, password);
        try
        {
            // Everything the topology user has but the tag: it declares, and is refused only the policies.
            await broker.Node.RunCtlAsync("set_permissions", "-p", "/", user, role.Configure, role.Write, role.Read);
            await broker.Node.RunCtlAsync(["set_user_tags", user, .. tags.Length == 0 ? Array.Empty<string>() : [tags]], null);

            var text = await TopologyAsync(1, broker.UriOf(user, password));

            output.WriteLine(text);
            Assert.Contains("declared:", text, StringComparison.Ordinal);
            Assert.Contains("401", text, StringComparison.Ordinal);
            Assert.Contains($"set_user_tags {user} policymaker", text, StringComparison.Ordinal);
            Assert.DoesNotContain("never-print-me", text, StringComparison.Ordinal);
            Assert.Empty(await PolicyNamesAsync());
        }
        finally
        {
            await broker.Node.RunCtlAsync("delete_user", user);
        }
    }

    [InProcessFact]
    public async Task A_port_without_the_management_plugin_says_to_enable_it()
    {
        var closed = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/";

        var text = await RunTopologyAsync(1, broker.UriOf(TopologyUser), closed);

        output.WriteLine(text);
        Assert.Contains($"no management API answers at {closed}", text, StringComparison.Ordinal);
        Assert.Contains("ConnectionRefused", text, StringComparison.Ordinal);
        Assert.Contains("rabbitmq-plugins enable rabbitmq_management", text, StringComparison.Ordinal);
        Assert.DoesNotContain(BrokerDefinitions.DevelopmentPassword(TopologyUser), text, StringComparison.Ordinal);
    }

    [InProcessFact]
    public async Task A_virtual_host_that_does_not_exist_is_named()
    {
        using var api = new ManagementApi(ManagementEndpoint.Resolve(broker.Node.Uri.AbsoluteUri, broker.ManagementUrl));

        var error = await Assert.ThrowsAsync<ManagementApiException>(() => ManagementPolicyApplier.ApplyAsync(api, "no-such-vhost", RpcPolicies.ForQueues(RpcNames.Queue, QueueLimits.Default)));

        output.WriteLine(error.Message);
        Assert.Equal(ManagementFailure.NotFound, error.Failure);
        Assert.Contains("virtual host 'no-such-vhost' does not exist", error.Message, StringComparison.Ordinal);
    }

    [InProcessFact]
    public async Task A_policy_of_higher_priority_that_wins_the_queue_fails_the_check()
    {
        // An operator's policy on the same queue at a higher priority: ours is stored, but the queue follows the other.
        await broker.Node.RunCtlAsync("set_policy", "-p", "/", "--priority", "100", "--apply-to", "queues", "operator-override", $"^{RpcNames.Queue}$", """{"max-length": 5}""");
        try
        {
            using var api = new ManagementApi(ManagementEndpoint.Resolve(broker.UriOf(TopologyUser), broker.ManagementUrl));

            var error = await Assert.ThrowsAsync<ManagementApiException>(() =>
                ManagementPolicyApplier.ApplyAsync(api, "/", RpcPolicies.ForQueues(RpcNames.Queue, QueueLimits.Default)));

            output.WriteLine(error.Message);
            Assert.Equal(ManagementFailure.NotInEffect, error.Failure);
            Assert.Contains("'operator-override' (priority 100, pattern ^rpc_queue$) outranks it", error.Message, StringComparison.Ordinal);
            // What the broker says: the queue follows the operator's policy.
            await Eventually.TrueAsync(async () => (await QueuePoliciesAsync())[RpcNames.Queue].Policy == "operator-override", "rabbitmqctl shows rpc_queue following operator-override");
            Assert.Contains($"{RpcNames.Queue}-limits", await PolicyNamesAsync());
        }
        finally
        {
            await broker.Node.RunCtlAsync("clear_policy", "-p", "/", "operator-override");
        }
    }

    /// <summary>fibrpc topology --policies management as the init container runs it; returns stdout and stderr.</summary>
    private async Task<string> TopologyAsync(int expectedExit, string uri, params string[] limits) =>
        await RunTopologyAsync(expectedExit, uri, broker.ManagementUrl, limits);

    private static async Task<string> RunTopologyAsync(int expectedExit, string uri, string managementUrl, params string[] limits)
    {
        using var topology = new ChildProcess("dotnet", [FibRpcCli.Dll, "topology", "--connection", uri, "--policies", "management", "--management-url", managementUrl, .. limits]);
        var exit = await topology.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(exit == expectedExit, $"fibrpc topology exited {exit}, expected {expectedExit}:\n{topology.Output}");
        return topology.Output;
    }

    private async Task<List<string>> PolicyNamesAsync() => [.. (await PoliciesAsync()).Keys];

    /// <summary>The policies the broker stores in "/", by name, with their definitions.</summary>
    private async Task<Dictionary<string, JsonElement>> PoliciesAsync()
    {
        var json = await broker.Node.RunCtlAsync("-q", "list_policies", "-p", "/", "--formatter", "json");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().ToDictionary(
            policy => policy.GetProperty("name").GetString() ?? "",
            policy => policy.GetProperty("definition") is { ValueKind: JsonValueKind.String } text
                ? JsonDocument.Parse(text.GetString()!).RootElement.Clone()
                : policy.GetProperty("definition").Clone());
    }

    /// <summary>
    /// Each queue of "/" with the policy the broker applies to it (rabbitmqctl list_queues name policy) and that
    /// policy's definition; RabbitMQ 3.10's rabbitmqctl does not list a queue's effective definition itself.
    /// </summary>
    private async Task<Dictionary<string, (string? Policy, JsonElement Effective)>> QueuePoliciesAsync()
    {
        var json = await broker.Node.RunCtlAsync("-q", "list_queues", "name", "policy", "--formatter", "json");
        var policies = await PoliciesAsync();
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().ToDictionary(
            queue => queue.GetProperty("name").GetString() ?? "",
            queue => queue.GetProperty("policy") is { ValueKind: JsonValueKind.String } policy && policy.GetString() is { Length: > 0 } name
                ? (name, policies.TryGetValue(name, out var definition) ? definition : default)
                : ((string?)null, default(JsonElement)));
    }
}

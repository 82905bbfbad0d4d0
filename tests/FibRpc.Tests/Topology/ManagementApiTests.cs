using System.Net;
using System.Text;
using System.Text.Json;
using FibRpc.Contract;
using FibRpc.Topology;
using FibRpc.Topology.Management;

namespace FibRpc.Tests.Topology;

/// <summary>
/// What `fibrpc topology --policies management` sends and how it reads the answers, against a stand-in for the API.
/// The integration tests' ManagementPolicyTests run it against a real broker: the PUT and read-back of every policy,
/// a user without the policymaker tag (401), a virtual host that does not exist (404), an outranking policy.
/// </summary>
public sealed class ManagementApiTests
{
    private static readonly ManagementEndpoint Endpoint = ManagementEndpoint.Resolve("amqp://fibrpc-topology:s3cret@broker:5672/");

    [Fact]
    public async Task A_virtual_host_with_a_slash_or_space_is_one_escaped_path_segment()
    {
        var api = new RecordingHandler(HttpStatusCode.OK, "[]");
        using var client = new ManagementApi(Endpoint, api, timeout: null);

        await client.GetPoliciesAsync("team a/b");

        Assert.Equal("http://broker:15672/api/policies/team%20a%2Fb", Assert.Single(api.Requests));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"bad_request","reason":"Validation failed"}""", ManagementFailure.Other, "400 bad_request: Validation failed")]
    [InlineData(HttpStatusCode.BadGateway, "<html>proxy</html>", ManagementFailure.Other, "502 <html>proxy</html>")]
    public async Task A_refusal_names_its_cause_and_remedy_and_never_the_password(HttpStatusCode status, string answer, ManagementFailure failure, string said)
    {
        using var client = new ManagementApi(Endpoint, new RecordingHandler(status, answer), timeout: null);

        var error = await Assert.ThrowsAsync<ManagementApiException>(() => client.PutPolicyAsync("billing", RpcPolicies.DeadLetterQueue(RpcNames.Queue, QueueLimits.Default)));

        Assert.Equal(failure, error.Failure);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_queue_follows_its_policy_when_it_is_held_as_sent_and_nothing_outranks_it()
    {
        var entry = RpcPolicies.ForQueues(RpcNames.Queue, QueueLimits.Default)[0];
        var ours = Stored(entry.Policy);
        var catchAll = ours with { Name = "catch-all", Pattern = ".*", Priority = 0 };
        var exchanges = ours with { Name = "exchanges", ApplyTo = "exchanges", Priority = 50 };

        var applied = ManagementPolicyApplier.Check(entry, [catchAll, ours, exchanges]);

        Assert.Equal((RpcNames.Queue, entry.Policy.Name), (applied.Queue, applied.Policy));
        Assert.Equal(RpcPolicies.DefinitionJson(entry.Policy), applied.Definition);
    }

    [Theory]
    [InlineData("outranks", 100)]
    [InlineData("ties with", RpcPolicies.Priority)]
    public void A_policy_that_outranks_or_ties_with_ours_on_the_queue_is_named(string relation, int priority)
    {
        var entry = RpcPolicies.ForQueues(RpcNames.Queue, QueueLimits.Default)[0];
        var ours = Stored(entry.Policy);
        var rival = ours with { Name = "operator-override", Pattern = "^rpc_", ApplyTo = "all", Priority = priority };

        var error = Assert.Throws<ManagementApiException>(() => ManagementPolicyApplier.Check(entry, [ours, rival]));

        Assert.Equal(ManagementFailure.NotInEffect, error.Failure);
        Assert.Contains($"'operator-override' (priority {priority}, pattern ^rpc_) {relation} it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_held_with_other_values_or_missing_is_not_in_effect()
    {
        var entry = RpcPolicies.ForQueues(RpcNames.Queue, QueueLimits.Default)[1];
        var changed = Stored(entry.Policy) with { Definition = Parse("""{"max-length":5,"message-ttl":604800000,"overflow":"drop-head"}""") };

        Assert.Equal(ManagementFailure.NotInEffect, Assert.Throws<ManagementApiException>(() => ManagementPolicyApplier.Check(entry, [changed])).Failure);
        Assert.Contains("no such policy", Assert.Throws<ManagementApiException>(() => ManagementPolicyApplier.Check(entry, [])).Message, StringComparison.Ordinal);
    }

    private static StoredPolicy Stored(RpcPolicy policy) => new(policy.Name, policy.Pattern, policy.ApplyTo, policy.Priority, Parse(RpcPolicies.DefinitionJson(policy)));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Answers every request with one status and body, and keeps the addresses asked for.</summary>
    private sealed class RecordingHandler(HttpStatusCode status, string answer) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!.AbsoluteUri);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(answer, Encoding.UTF8, "application/json") });
        }
    }
}

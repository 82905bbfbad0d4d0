using System.Net;
using System.Text;
using System.Text.Json;
using FibRpc.Contract;
using FibRpc.Service.Topology;
using FibRpc.Service.Topology.Management;

namespace FibRpc.Tests.Topology;

/// <summary>
/// What `fibrpc topology --policies management` sends and how it reads the answers, against a stand-in for the API
/// (the real broker's side is in the integration tests).
/// </summary>
public sealed class ManagementApiTests
{
    private static readonly ManagementEndpoint Endpoint = ManagementEndpoint.Resolve("amqp://fibrpc-topology:s3cret@broker:5672/");

    [Fact]
    public async Task A_policy_is_PUT_to_its_virtual_host_and_name_with_the_fields_set_policy_takes()
    {
        var api = new RecordingHandler(HttpStatusCode.Created, "");
        using var client = new ManagementApi(Endpoint, api, timeout: null);
        var policy = RpcPolicies.RequestQueue(RpcNames.Queue, new QueueLimits { MaxLength = 123 });

        await client.PutPolicyAsync("/", policy);

        var request = Assert.Single(api.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("http://broker:15672/api/policies/%2F/rpc_queue-limits", request.Uri);
        Assert.Equal($"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("fibrpc-topology:s3cret"))}", request.Authorization);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(policy.Pattern, body.RootElement.GetProperty("pattern").GetString());
        Assert.Equal("queues", body.RootElement.GetProperty("apply-to").GetString());
        Assert.Equal(RpcPolicies.Priority, body.RootElement.GetProperty("priority").GetInt32());
        // Numbers as JSON numbers: the broker refuses "123" for max-length.
        Assert.Equal(JsonValueKind.Number, body.RootElement.GetProperty("definition").GetProperty("max-length").ValueKind);
        Assert.Equal(123, body.RootElement.GetProperty("definition").GetProperty("max-length").GetInt32());
        Assert.Equal("reject-publish", body.RootElement.GetProperty("definition").GetProperty("overflow").GetString());
    }

    [Fact]
    public async Task A_virtual_host_with_a_slash_or_space_is_one_escaped_path_segment()
    {
        var api = new RecordingHandler(HttpStatusCode.OK, """{"policy":null}""");
        using var client = new ManagementApi(Endpoint, api, timeout: null);

        await client.GetQueuePolicyAsync("team a/b", "q.1");

        Assert.Equal("http://broker:15672/api/queues/team%20a%2Fb/q.1", Assert.Single(api.Requests).Uri);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"not_authorised","reason":"Not administrator user"}""", ManagementFailure.NotAuthorised, "policymaker")]
    [InlineData(HttpStatusCode.NotFound, """{"error":"Object Not Found","reason":"Not Found"}""", ManagementFailure.NotFound, "virtual host 'billing' does not exist")]
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
    public async Task The_queues_policy_and_effective_definition_are_read_from_its_answer()
    {
        const string answer = """{"name":"rpc_queue","policy":"rpc_queue-limits","effective_policy_definition":{"max-length":10000,"overflow":"reject-publish"},"messages":0}""";
        using var client = new ManagementApi(Endpoint, new RecordingHandler(HttpStatusCode.OK, answer), timeout: null);

        var state = await client.GetQueuePolicyAsync("/", RpcNames.Queue);

        Assert.Equal("rpc_queue-limits", state.Policy);
        Assert.Equal(10000, state.EffectivePolicyDefinition!.Value.GetProperty("max-length").GetInt32());
    }

    [Fact]
    public void A_queue_follows_a_policy_only_with_its_name_and_every_one_of_its_values()
    {
        var policy = RpcPolicies.DeadLetterQueue(RpcNames.Queue, QueueLimits.Default);
        var exact = Parse(RpcPolicies.DefinitionJson(policy));
        var withOperatorKey = Parse("""{"max-length":100000,"message-ttl":604800000,"overflow":"drop-head","max-length-bytes":1000}""");
        var otherValue = Parse("""{"max-length":5,"message-ttl":604800000,"overflow":"drop-head"}""");

        Assert.True(ManagementPolicyApplier.IsInEffect(new QueuePolicyState(policy.Name, exact), policy));
        Assert.True(ManagementPolicyApplier.IsInEffect(new QueuePolicyState(policy.Name, withOperatorKey), policy));
        Assert.False(ManagementPolicyApplier.IsInEffect(new QueuePolicyState(policy.Name, otherValue), policy));
        Assert.False(ManagementPolicyApplier.IsInEffect(new QueuePolicyState("operator-catch-all", exact), policy));
        Assert.False(ManagementPolicyApplier.IsInEffect(new QueuePolicyState(null, null), policy));
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private sealed record SentRequest(HttpMethod Method, string Uri, string? Authorization, string Body);

    /// <summary>Answers every request with one status and body, and keeps what was sent.</summary>
    private sealed class RecordingHandler(HttpStatusCode status, string answer) : HttpMessageHandler
    {
        public List<SentRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add(new SentRequest(request.Method, request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString(), body));
            return new HttpResponseMessage(status) { Content = new StringContent(answer, Encoding.UTF8, "application/json") };
        }
    }
}

using System.Text.Json;
using FibRpc.Contract;
using FibRpc.Service.Topology;

namespace FibRpc.Tests.Deployment;

/// <summary>
/// deploy/rabbitmq/definitions.json declares at boot the same topology `fibrpc topology` declares; the Functions host
/// declares the request queue only passively, so any difference in arguments would make one of them fail.
/// </summary>
public sealed class BrokerDefinitionsTests
{
    private const string File = Sources.Definitions;

    [Fact]
    public void RequestQueue_IsDurableClassic_DeadLetteringToTheExchange()
    {
        var queue = Queue(FunctionSource.Read().QueueName.Value!);

        AssertQueueFlags(queue);
        // The arguments fibrpc topology declares: a difference would fail one of the two declarations.
        AssertArguments(queue, Strings(RpcTopology.RequestQueueArguments(RpcNames.Queue)));
    }

    [Fact]
    public void DeadLetterQueue_IsDurableClassic_BoundToTheFanoutExchangeWithEmptyKey()
    {
        var queue = Queue(RpcNames.DeadLetterQueue);
        AssertQueueFlags(queue);
        AssertArguments(queue, Strings(RpcTopology.DeadLetterQueueArguments()));

        using var json = Load();
        var exchange = json.RootElement.GetProperty("exchanges").EnumerateArray()
            .SingleOrDefault(e => e.GetProperty("name").GetString() == RpcNames.DeadLetterExchange);
        Assert.True(exchange.ValueKind == JsonValueKind.Object, $"{File}: no exchange '{RpcNames.DeadLetterExchange}' (RpcNames.DeadLetterExchange)");
        Assert.Equal("/", exchange.GetProperty("vhost").GetString());
        Assert.Equal("fanout", exchange.GetProperty("type").GetString());
        Assert.True(exchange.GetProperty("durable").GetBoolean(), $"{File}: exchange '{RpcNames.DeadLetterExchange}' must be durable");
        Assert.False(exchange.GetProperty("auto_delete").GetBoolean(), $"{File}: exchange '{RpcNames.DeadLetterExchange}' must not auto-delete");

        var bindings = json.RootElement.GetProperty("bindings").EnumerateArray()
            .Where(b => b.GetProperty("source").GetString() == RpcNames.DeadLetterExchange)
            .Select(b => $"{b.GetProperty("destination_type").GetString()} '{b.GetProperty("destination").GetString()}', routing key '{b.GetProperty("routing_key").GetString()}', vhost '{b.GetProperty("vhost").GetString()}'")
            .ToList();
        Assert.Equal([$"queue '{RpcNames.DeadLetterQueue}', routing key '', vhost '/'"], bindings);
    }

    private static Dictionary<string, string> Strings(Dictionary<string, object?> arguments) =>
        arguments.ToDictionary(pair => pair.Key, pair => Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture)!);

    [Fact]
    public void Topology_HasNothingElse()
    {
        using var json = Load();
        var queues = json.RootElement.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("name").GetString()).Order(StringComparer.Ordinal).ToList();
        var exchanges = json.RootElement.GetProperty("exchanges").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();

        Assert.Equal([RpcNames.Queue, RpcNames.DeadLetterQueue], queues);
        Assert.Equal([RpcNames.DeadLetterExchange], exchanges);
    }

    [Fact]
    public void EveryUser_HasPermissionsOnTheDefaultVHost()
    {
        using var json = Load();
        var users = json.RootElement.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("name").GetString()).ToList();
        var permitted = json.RootElement.GetProperty("permissions").EnumerateArray()
            .Where(p => p.GetProperty("vhost").GetString() == "/")
            .Select(p => p.GetProperty("user").GetString())
            .ToHashSet();

        Assert.NotEmpty(users);
        Assert.All(users, user => Assert.True(permitted.Contains(user), $"{File}: user '{user}' has no permissions on vhost '/'"));
    }

    [Fact]
    public void PasswordCheck_RejectsAWrongPassword()
    {
        // The credential tests of compose and local settings rely on this check; it must be able to fail.
        Assert.True(Sources.DefinitionsAuthenticate("guest", "guest"));
        Assert.False(Sources.DefinitionsAuthenticate("guest", "not-the-password"));
        Assert.False(Sources.DefinitionsAuthenticate("nobody", "guest"));
    }

    private static JsonDocument Load() => JsonDocument.Parse(RepoFiles.Read(File));

    private static JsonElement Queue(string name)
    {
        using var json = Load();
        var queue = json.RootElement.GetProperty("queues").EnumerateArray().SingleOrDefault(q => q.GetProperty("name").GetString() == name);
        Assert.True(queue.ValueKind == JsonValueKind.Object, $"{File}: no queue '{name}'");
        return queue.Clone();
    }

    private static void AssertQueueFlags(JsonElement queue)
    {
        var name = queue.GetProperty("name").GetString();
        Assert.True(queue.GetProperty("vhost").GetString() == "/", $"{File}: queue '{name}' is not on vhost '/'");
        Assert.True(queue.GetProperty("durable").GetBoolean(), $"{File}: queue '{name}' must be durable");
        Assert.False(queue.GetProperty("auto_delete").GetBoolean(), $"{File}: queue '{name}' must not auto-delete");
        Assert.False(queue.TryGetProperty("exclusive", out var exclusive) && exclusive.GetBoolean(), $"{File}: queue '{name}' must not be exclusive");
    }

    private static void AssertArguments(JsonElement queue, Dictionary<string, string> expected)
    {
        var name = queue.GetProperty("name").GetString();
        var actual = queue.GetProperty("arguments").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
        Assert.True(
            actual.Count == expected.Count && expected.All(e => actual.TryGetValue(e.Key, out var v) && v == e.Value),
            $"{File}: queue '{name}' arguments {Format(actual)} differ from the core's topology {Format(expected)}");
    }

    private static string Format(Dictionary<string, string> arguments) =>
        "{" + string.Join(", ", arguments.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}")) + "}";
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FibRpc.Contract;

namespace FibRpc.Topology;

/// <summary>
/// A RabbitMQ policy as rabbitmqctl set_policy and the definitions file take it: a pattern anchored to one queue,
/// "queues" as what it applies to (a policy for exchanges would not take these keys), a priority (a queue follows
/// only its matching policy of highest priority) and its keys and values (strings or integers), sorted by key.
/// </summary>
public sealed record RpcPolicy(string Name, string Pattern, string ApplyTo, int Priority, IReadOnlyList<KeyValuePair<string, object>> Definition);

/// <summary>A policy with the one queue its pattern matches: what a check of the broker looks at afterwards.</summary>
public sealed record QueuePolicy(string Queue, RpcPolicy Policy);

/// <summary>
/// The policies that put <see cref="QueueLimits"/> on the request queue and its dead-letter queue. AMQP cannot set a
/// policy: `fibrpc topology` applies them through the management HTTP API (Management.ManagementPolicyApplier) or
/// prints them as rabbitmqctl commands (<see cref="RabbitmqctlCommand"/>), and deploy/rabbitmq/definitions.json
/// carries them for brokers that import it (<see cref="BrokerDefinitions"/> writes it). Every form comes from here.
/// </summary>
public static class RpcPolicies
{
    /// <summary>
    /// Above the default 0 so that an operator's catch-all policy (pattern ".*") does not displace these; below
    /// anything an operator sets on purpose for one queue.
    /// </summary>
    public const int Priority = 10;

    public static RpcPolicy RequestQueue(string queue, QueueLimits limits) => new(
        $"{queue}-limits",
        Exact(queue),
        "queues",
        Priority,
        Sorted(new Dictionary<string, object>
        {
            ["max-length"] = limits.MaxLength,
            // Refuse at the edge: the publisher is told (nack) instead of the oldest request being dropped unseen.
            ["overflow"] = "reject-publish",
            // Quorum queues only (classic queues ignore it): the backstop against a request that kills its worker.
            ["delivery-limit"] = limits.DeliveryLimit,
            // Quorum queues only, and only with reject-publish: a request leaves the queue only once the dead-letter
            // queue has confirmed it, so a dead letter is never lost between the two.
            ["dead-letter-strategy"] = "at-least-once",
        }));

    /// <summary>The policy of the dead-letter queue: bounded by length (oldest dropped) and by age.</summary>
    public static RpcPolicy DeadLetterQueue(string queue, QueueLimits limits) => new(
        $"{RpcNames.DeadLetterQueueFor(queue)}-limits",
        Exact(RpcNames.DeadLetterQueueFor(queue)),
        "queues",
        Priority,
        Sorted(new Dictionary<string, object>
        {
            ["max-length"] = limits.DeadLetterMaxLength,
            ["overflow"] = "drop-head",
            ["message-ttl"] = limits.DeadLetterMessageTtlMilliseconds,
        }));

    public static IReadOnlyList<RpcPolicy> All(string queue, QueueLimits limits) => [.. ForQueues(queue, limits).Select(entry => entry.Policy)];

    public static IReadOnlyList<QueuePolicy> ForQueues(string queue, QueueLimits limits) =>
        [new(queue, RequestQueue(queue, limits)), new(RpcNames.DeadLetterQueueFor(queue), DeadLetterQueue(queue, limits))];

    /// <summary>The definition as the JSON object rabbitmqctl and the definitions file take: numbers as numbers.</summary>
    public static string DefinitionJson(RpcPolicy policy) => Definition(policy).ToJsonString();

    /// <inheritdoc cref="DefinitionJson"/>
    public static JsonObject Definition(RpcPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new JsonObject(policy.Definition.Select(entry => KeyValuePair.Create(entry.Key, (JsonNode?)(entry.Value switch
        {
            string text => JsonValue.Create(text),
            int number => JsonValue.Create(number),
            long number => JsonValue.Create(number),
            var value => throw new InvalidOperationException($"policy key {entry.Key}: a {value.GetType().Name} is neither text nor integer"),
        }))));
    }

    /// <summary>
    /// The `rabbitmqctl set_policy` command line that sets the policy in <paramref name="virtualHost"/>, quoted for a
    /// POSIX shell. Setting a policy again with other values changes it in place, on a running queue.
    /// </summary>
    public static string RabbitmqctlCommand(RpcPolicy policy, string virtualHost, string? node = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        IEnumerable<string> arguments =
        [
            "rabbitmqctl", .. node is null ? Array.Empty<string>() : ["-n", node], "set_policy", "-p", virtualHost,
            "--priority", policy.Priority.ToString(CultureInfo.InvariantCulture), "--apply-to", policy.ApplyTo,
            policy.Name, policy.Pattern, DefinitionJson(policy),
        ];
        return string.Join(' ', arguments.Select(ShellQuote));
    }

    private static string ShellQuote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '@' or ':')
            ? argument
            : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    internal static string Exact(string name) => $"^{Regex.Escape(name)}$";

    private static List<KeyValuePair<string, object>> Sorted(Dictionary<string, object> definition) =>
        [.. definition.OrderBy(entry => entry.Key, StringComparer.Ordinal)];
}

using System.Text.Json;

namespace FibRpc.Tests.Deployment.Facts;

/// <summary>
/// deploy/rabbitmq/definitions.json, imported by the compose broker at boot: the request queue is the one that
/// dead-letters; the dead-letter queue is what the dead-letter exchange is bound to. Arguments are facts too: the
/// broker refuses a later declaration (by `fibrpc topology`) whose arguments differ.
/// </summary>
internal static class BrokerDefinitionsFacts
{
    public static IEnumerable<Statement> Read(string file, string text)
    {
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var statements = new List<Statement>();
        var queues = root.TryGetProperty("queues", out var q) ? q.EnumerateArray().ToList() : [];
        var bindings = root.TryGetProperty("bindings", out var b) ? b.EnumerateArray().ToList() : [];

        for (var i = 0; i < queues.Count; i++)
        {
            var name = queues[i].GetProperty("name").GetString() ?? "";
            var arguments = queues[i].TryGetProperty("arguments", out var a)
                ? a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal)
                : [];
            if (arguments.TryGetValue("x-dead-letter-exchange", out var deadLetterExchange))
            {
                statements.Add(new Statement(FactNames.Queue, name, file, $"queues[{i}].name (the queue that dead-letters)"));
                statements.Add(new Statement(FactNames.DeadLetterExchange, deadLetterExchange, file, $"queues[{i}].arguments.x-dead-letter-exchange"));
                statements.Add(new Statement(FactNames.RequestQueueArguments, Format(arguments), file, $"queues[{i}].arguments"));
            }
            else if (bindings.Any(binding => binding.GetProperty("destination").GetString() == name))
            {
                statements.Add(new Statement(FactNames.DeadLetterQueueArguments, Format(arguments), file, $"queues[{i}].arguments"));
            }
        }

        // The policies that hold the queue limits: the one whose pattern matches the request queue, and the other.
        var requestQueue = statements.FirstOrDefault(s => s.Fact == FactNames.Queue)?.Value;
        var policies = root.TryGetProperty("policies", out var p) ? p.EnumerateArray().ToList() : [];
        foreach (var (policy, i) in policies.Select((policy, i) => (policy, i)))
        {
            var pattern = policy.GetProperty("pattern").GetString() ?? "";
            var definition = string.Join(",", policy.GetProperty("definition").EnumerateObject()
                .OrderBy(entry => entry.Name, StringComparer.Ordinal).Select(entry => $"\"{entry.Name}\":{entry.Value.GetRawText()}"));
            var stated = $"{policy.GetProperty("name").GetString()} {pattern} {policy.GetProperty("apply-to").GetString()} {policy.GetProperty("priority").GetRawText()} {{{definition}}}";
            var matchesRequestQueue = requestQueue is not null && System.Text.RegularExpressions.Regex.IsMatch(requestQueue, pattern);
            statements.Add(new Statement(matchesRequestQueue ? FactNames.RequestQueuePolicy : FactNames.DeadLetterQueuePolicy, stated, file, $"policies[{i}]"));
        }

        foreach (var (binding, i) in bindings.Select((binding, i) => (binding, i)))
        {
            statements.Add(new Statement(FactNames.DeadLetterExchange, binding.GetProperty("source").GetString() ?? "", file, $"bindings[{i}].source"));
            statements.Add(new Statement(FactNames.DeadLetterQueue, binding.GetProperty("destination").GetString() ?? "", file, $"bindings[{i}].destination"));
        }

        return statements;
    }

    /// <summary>Arguments as one comparable text: sorted "key=value" pairs.</summary>
    public static string Format(IEnumerable<KeyValuePair<string, string>> arguments) =>
        string.Join(", ", arguments.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
}

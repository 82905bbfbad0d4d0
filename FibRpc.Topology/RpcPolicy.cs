namespace FibRpc.Topology;

/// <summary>
/// A RabbitMQ policy as rabbitmqctl set_policy and the definitions file take it: a name, a pattern over queue names,
/// what it applies to, a priority and its definition (keys such as max-length, values strings or integers).
/// </summary>
/// <param name="Name">The policy's name in the virtual host.</param>
/// <param name="Pattern">Regular expression over queue names; anchored so that it matches one queue.</param>
/// <param name="ApplyTo">"queues": a policy for exchanges would not take these keys.</param>
/// <param name="Priority">Only one policy applies to a queue, the one of highest priority.</param>
/// <param name="Definition">The keys and values, sorted by key.</param>
public sealed record RpcPolicy(string Name, string Pattern, string ApplyTo, int Priority, IReadOnlyList<KeyValuePair<string, object>> Definition);

namespace FibRpc.Messaging;

/// <summary>
/// Turns a failure to reach or use the broker into one line for a person: the messages of the whole exception chain
/// (RabbitMQ.Client's "None of the specified endpoints were reachable" alone says nothing about a refused
/// certificate or a wrong password), with any password scrubbed.
/// </summary>
public static class ConnectionErrors
{
    public static string Describe(Exception error, string? uri)
    {
        ArgumentNullException.ThrowIfNull(error);
        var messages = new List<string>();
        var pending = new Stack<Exception>();
        pending.Push(error);
        while (pending.Count > 0 && messages.Count < 8)
        {
            var current = pending.Pop();
            // An AggregateException's own message repeats its inner ones.
            var message = current is AggregateException ? "" : current.Message.Trim();
            if (message.Length > 0 && !messages.Contains(message, StringComparer.Ordinal))
            {
                messages.Add(message);
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return BrokerUri.Scrub(string.Join(": ", messages), uri);
    }
}

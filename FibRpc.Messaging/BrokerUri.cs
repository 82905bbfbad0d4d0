namespace FibRpc.Messaging;

/// <summary>Where the broker is when nothing says otherwise: the one place that default lives.</summary>
public static class BrokerUri
{
    /// <summary>A broker on this machine with RabbitMQ's development credentials.</summary>
    public const string Default = "amqp://guest:guest@localhost:5672/";

    /// <summary>The first of the given URIs that is set, else <see cref="Default"/>.</summary>
    public static string Resolve(params ReadOnlySpan<string?> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                return candidate;
            }
        }

        return Default;
    }
}

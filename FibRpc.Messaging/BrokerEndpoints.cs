namespace FibRpc.Messaging;

/// <summary>
/// The broker setting as a list of nodes: one AMQP URI, or the comma-separated URIs of one cluster's nodes, which
/// differ only in host and port. A connection goes to one of them picked at random (RabbitMQ.Client shuffles the
/// list, so a fleet of workers spreads over the nodes), and automatic recovery tries the whole list again.
/// </summary>
public static class BrokerEndpoints
{
    /// <summary>The URIs of the setting, in the order written.</summary>
    /// <exception cref="BrokerUriException">
    /// An entry is not an amqp:// or amqps:// URI, or the entries disagree on scheme, credentials or virtual host.
    /// </exception>
    public static IReadOnlyList<Uri> Parse(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var entries = setting.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
        {
            throw new BrokerUriException("the broker setting is empty");
        }

        var uris = new List<Uri>(entries.Length);
        foreach (var entry in entries)
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
            {
                // Never the URI itself in the message: it may carry a password.
                throw new BrokerUriException($"the broker URI '{BrokerUri.Redact(entry)}' is not an amqp:// or amqps:// URI");
            }

            uris.Add(parsed);
        }

        var first = uris[0];
        foreach (var other in uris.Skip(1))
        {
            // One connection factory logs in once with one set of credentials; a node that wants other ones, or
            // another virtual host, is another deployment, and mixing TLS with plain AMQP would weaken the list to
            // its plainest member.
            if (other.Scheme != first.Scheme || other.UserInfo != first.UserInfo || other.AbsolutePath != first.AbsolutePath)
            {
                throw new BrokerUriException(
                    $"the broker URIs '{BrokerUri.Redact(first.OriginalString)}' and '{BrokerUri.Redact(other.OriginalString)}' differ in more than host and port: the nodes of one list share scheme, user, password and virtual host");
            }
        }

        return uris;
    }
}

using FibRpc.Messaging;

namespace FibRpc.Topology.Management;

/// <summary>
/// Where the RabbitMQ management HTTP API is and whom to log in as. By default it is derived from the AMQP URI: the
/// same host (the first node of a list), RabbitMQ's default management port, https when the AMQP URI is amqps, and the
/// AMQP URI's user and password, because the user that declares the queues is the one that sets their policies.
/// The password is held apart from <see cref="BaseUri"/> so that showing where the API is can never show it.
/// </summary>
public sealed class ManagementEndpoint
{
    /// <summary>The management plugin's default port for plain HTTP (management.tcp.port).</summary>
    public const int DefaultPort = 15672;

    /// <summary>The port RabbitMQ's documentation gives the management plugin's HTTPS listener (management.ssl.port).</summary>
    public const int DefaultTlsPort = 15671;

    /// <summary>What RabbitMQ.Client logs in as when the AMQP URI names no user; the same holds here.</summary>
    private const string DefaultUser = "guest";

    private ManagementEndpoint(Uri baseUri, string userName, string password)
    {
        BaseUri = baseUri;
        UserName = userName;
        Password = password;
    }

    /// <summary>The API's root, ending in '/', without credentials (http://host:15672/, or with a path prefix).</summary>
    public Uri BaseUri { get; }

    public string UserName { get; }

    public string Password { get; }

    /// <summary>
    /// The endpoint for the broker setting (one AMQP URI or a list); <paramref name="managementUrl"/>, when given, says
    /// where the API is instead, and credentials in it win over the AMQP URI's.
    /// </summary>
    /// <exception cref="ArgumentException">A URI is malformed; the message never holds a password.</exception>
    public static ManagementEndpoint Resolve(string amqpSetting, string? managementUrl = null)
    {
        var amqp = BrokerEndpoints.Parse(amqpSetting)[0];
        var (user, password) = Credentials(amqp);
        if (string.IsNullOrWhiteSpace(managementUrl))
        {
            var derived = new UriBuilder
            {
                Scheme = amqp.Scheme == "amqps" ? Uri.UriSchemeHttps : Uri.UriSchemeHttp,
                Host = amqp.Host,
                Port = amqp.Scheme == "amqps" ? DefaultTlsPort : DefaultPort,
                Path = "/",
            };
            return new ManagementEndpoint(derived.Uri, user, password);
        }

        if (!Uri.TryCreate(managementUrl.Trim(), UriKind.Absolute, out var given) || given.Scheme is not ("http" or "https") || given.Host.Length == 0)
        {
            // Not quoted: a malformed URL may hold a password where no redaction can recognise it.
            throw new ArgumentException("the management URL is not an http:// or https:// URL with a host, e.g. http://broker:15672/", nameof(managementUrl));
        }

        if (given.UserInfo.Length > 0)
        {
            (user, password) = Credentials(given);
        }

        // Relative API paths are resolved against the root, so it must end in '/' (a path prefix such as /rabbitmq
        // would otherwise be replaced, not extended).
        var root = new UriBuilder(given) { UserName = "", Password = "", Query = "", Fragment = "" };
        if (!root.Path.EndsWith('/'))
        {
            root.Path += "/";
        }

        return new ManagementEndpoint(root.Uri, user, password);
    }

    /// <summary>Where the API is and who logs in, for output: never the password.</summary>
    public override string ToString() => $"{BaseUri.AbsoluteUri} as {UserName}";

    private static (string User, string Password) Credentials(Uri uri)
    {
        if (uri.UserInfo.Length == 0)
        {
            return (DefaultUser, DefaultUser);
        }

        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(uri.UserInfo), "")
            : (Uri.UnescapeDataString(uri.UserInfo[..colon]), Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
    }
}

using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace FibRpc.Messaging;

/// <summary>
/// Turns a failure to reach or use the broker into one line for a person: what happened, which setting holds the
/// broker's address, and what to do, which RabbitMQ.Client's own words ("None of the specified endpoints were
/// reachable") do not say. An unrecognised failure keeps the messages of its exception chain, passwords scrubbed.
/// </summary>
public static partial class ConnectionErrors
{
    /// <summary>The failure in one line; <paramref name="uri"/>'s password never appears in it.</summary>
    public static string Describe(Exception error, string? uri) => Describe(error, uri, "RabbitMQConnection", "RabbitMQCaFile");

    /// <param name="error">What the client library threw.</param>
    /// <param name="uri">The broker URI (or comma-separated URIs) that was used.</param>
    /// <param name="setting">Where that URI came from, as the person knows it: <c>--connection</c>, <c>RabbitMQConnection</c>.</param>
    /// <param name="caSetting">Where a CA file is given: <c>--ca-file</c>, <c>RabbitMQCaFile</c>.</param>
    public static string Describe(Exception error, string? uri, string setting, string caSetting)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(caSetting);
        var chain = Chain(error);
        var exceptions = Flatten(error).ToList();
        var broker = Endpoint(uri);
        string line;
        if (chain.Contains("ACCESS_REFUSED - Login was refused", StringComparison.Ordinal) || exceptions.Any(e => e.GetType().Name == "AuthenticationFailureException"))
        {
            line = $"the broker at {broker.Address} refused the user name or password: correct them in {setting}";
        }
        else if (ResourceRefused().Match(chain) is { Success: true } refused)
        {
            // Logged in, but the user's permissions on the virtual host do not cover what was asked.
            line = $"the broker at {broker.Address} refused {refused.Groups["what"].Value} for user '{refused.Groups["user"].Value}': grant the permission (rabbitmqctl set_permissions -p {broker.VirtualHost} ...), or give a user that has it in {setting}";
        }
        else if (VirtualHostNotFound().Match(chain) is { Success: true } missing)
        {
            var vhost = missing.Groups["vhost"].Value;
            line = $"the broker at {broker.Address} has no virtual host '{vhost}': correct the path of the URI in {setting} (the default virtual host '/' is written amqp://host:5672/), or create it with: rabbitmqctl add_vhost {vhost} && rabbitmqctl set_permissions -p {vhost} {broker.User} '.*' '.*' '.*'";
        }
        else if (VirtualHostRefused().IsMatch(chain))
        {
            line = $"the user '{broker.User}' may not use virtual host '{broker.VirtualHost}' on {broker.Address}: grant it with rabbitmqctl set_permissions -p {broker.VirtualHost} {broker.User} '.*' '.*' '.*', or correct {setting}";
        }
        else if (chain.Contains("Cannot determine the frame size", StringComparison.Ordinal) || (broker.Tls && chain.Contains("corrupted frame", StringComparison.Ordinal)))
        {
            line = $"{broker.Address} does not speak TLS (amqps://): use amqp:// for that port, or the broker's TLS port (usually 5671) with amqps://, in {setting}";
        }
        else if (!broker.Tls && exceptions.Any(e => e is System.Security.Authentication.AuthenticationException))
        {
            line = $"{broker.Address} expects TLS: write amqps:// in {setting}";
        }
        else if (exceptions.Any(e => e is System.Security.Authentication.AuthenticationException))
        {
            line = $"the TLS connection to {broker.Address} failed ({BrokerUri.Scrub(chain, uri)}): give the CA that signed the broker's certificate with {caSetting}, or correct the host name in {setting}";
        }
        else if (exceptions.Any(e => e is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) || chain.Contains("Connection refused", StringComparison.Ordinal))
        {
            line = broker.IsLocal
                ? $"no broker answers at {broker.Address}: start one with scripts/broker.sh start (or give a running one's URI in {setting})"
                : $"no broker answers at {broker.Address}: check that it runs, and the host and port in {setting}";
        }
        else if (exceptions.Any(e => e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }))
        {
            line = $"the host name of {broker.Address} does not resolve: correct it in {setting}";
        }
        else if (exceptions.Any(e => e is SocketException { SocketErrorCode: SocketError.TimedOut } or TimeoutException))
        {
            line = $"{broker.Address} did not answer in time: check the host, the port and any firewall, and {setting}";
        }
        else if (exceptions.Any(e => e is ArgumentException or UriFormatException))
        {
            line = $"{BrokerUri.Scrub(chain, uri)}: write {setting} as amqp://user:password@host:5672/vhost (amqps:// for TLS)";
        }
        else
        {
            line = $"{BrokerUri.Scrub(chain, uri)} (broker: {setting})";
        }

        // Only the library's text is scrubbed (above): this line's own words hold no password, and scrubbing them
        // would mask a user name that happens to equal it.
        return line;
    }

    /// <summary>The first eight messages of the whole exception chain, each once, joined by ": ".</summary>
    private static string Chain(Exception error) => string.Join(": ", Flatten(error)
        // An AggregateException's own message repeats its inner ones; " (Parameter 'x')" is for programmers.
        .Select(current => current is AggregateException ? "" : ParameterSuffix().Replace(current.Message.Trim(), ""))
        .Where(message => message.Length > 0)
        .Distinct(StringComparer.Ordinal)
        .Take(8));

    /// <summary>The exception and every inner one, depth first, an AggregateException's in order.</summary>
    private static IEnumerable<Exception> Flatten(Exception error) => error switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Flatten).Prepend(error),
        { InnerException: { } inner } => Flatten(inner).Prepend(error),
        _ => [error],
    };

    /// <summary>Where the (first) URI points, for the message: host:port and virtual host, never the password.</summary>
    private static Broker Endpoint(string? uri)
    {
        var first = uri?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (first is null || !Uri.TryCreate(first, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
        {
            return new Broker("the broker", "guest", "/", Tls: false, IsLocal: false);
        }

        var tls = string.Equals(parsed.Scheme, "amqps", StringComparison.OrdinalIgnoreCase);
        var port = parsed.IsDefaultPort || parsed.Port < 0 ? (tls ? 5671 : 5672) : parsed.Port;
        var credentials = parsed.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(credentials[0]) is { Length: > 0 } name ? name : "guest";
        if (credentials.Length == 2 && string.Equals(Uri.UnescapeDataString(credentials[1]), user, StringComparison.Ordinal) && user != "guest")
        {
            // A password equal to the user name would be shown with it.
            user = "<user>";
        }

        var path = parsed.AbsolutePath.TrimStart('/');
        var vhost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        var local = parsed.IsLoopback || string.Equals(parsed.Host, "localhost", StringComparison.OrdinalIgnoreCase);
        return new Broker($"{parsed.Host}:{port}", user, vhost, tls, local);
    }

    private sealed record Broker(string Address, string User, string VirtualHost, bool Tls, bool IsLocal);

    [GeneratedRegex(@"NOT_ALLOWED - vhost (?<vhost>.+?) not found")]
    private static partial Regex VirtualHostNotFound();

    [GeneratedRegex(@"ACCESS_REFUSED - (?<what>.+?) refused for user '(?<user>[^']*)'")]
    private static partial Regex ResourceRefused();

    [GeneratedRegex(@"NOT_ALLOWED - access to vhost")]
    private static partial Regex VirtualHostRefused();

    [GeneratedRegex(@" \(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();
}

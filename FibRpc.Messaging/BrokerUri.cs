using System.Text.RegularExpressions;

namespace FibRpc.Messaging;

/// <summary>Where the broker is when nothing says otherwise (the one place that default lives), and how a URI is shown.</summary>
public static partial class BrokerUri
{
    /// <summary>A broker on this machine with RabbitMQ's development credentials.</summary>
    public const string Default = "amqp://guest:guest@localhost:5672/";

    /// <summary>What replaces a password wherever a URI or a text that may hold one is shown.</summary>
    public const string Mask = "***";

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

    /// <summary>
    /// The URI with its password replaced by <see cref="Mask"/>. Works on text that does not parse as a URI too,
    /// because a malformed URI is exactly what ends up in an error message.
    /// </summary>
    public static string Redact(string? uri) => uri is null ? "" : UserInfoPassword().Replace(uri, "$1" + Mask + "@");

    /// <summary>
    /// <paramref name="text"/> with every occurrence of <paramref name="uri"/>'s password removed (as written and
    /// percent-decoded), and any other URI's password too: for exception messages that may quote either.
    /// </summary>
    public static string Scrub(string text, string? uri)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scrubbed = Redact(text);
        if (uri is not null && UserInfoPassword().Match(uri) is { Success: true } match && match.Groups[2].Value is { Length: > 0 } password)
        {
            scrubbed = scrubbed.Replace(password, Mask, StringComparison.Ordinal);
            var decoded = Uri.UnescapeDataString(password);
            scrubbed = scrubbed.Replace(decoded, Mask, StringComparison.Ordinal);
        }

        return scrubbed;
    }

    // scheme://user:password@ : the password is everything from the first ':' after "//" up to the last '@' before
    // the path, so that an unescaped '@' or ':' inside it is still covered.
    [GeneratedRegex("""([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)([^/\s]*)@""")]
    private static partial Regex UserInfoPassword();
}

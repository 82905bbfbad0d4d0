using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FibRpc.Tests.Deployment;

/// <summary>The reference values the deployment files must agree with, read from the files that own them.</summary>
internal static partial class Sources
{
    public const string HostJson = "host.json";
    public const string LocalSettings = "local.settings.sample.json";
    public const string BuildProps = "Directory.Build.props";
    public const string Definitions = "deploy/rabbitmq/definitions.json";
    public const string PrefetchEnv = "AzureFunctionsJobHost__extensions__rabbitMQ__prefetchCount";

    /// <summary>extensions.rabbitMQ.prefetchCount in host.json.</summary>
    public static Sourced HostPrefetch()
    {
        using var json = JsonDocument.Parse(RepoFiles.Read(HostJson));
        var value = json.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("rabbitMQ", out var rabbit)
            && rabbit.TryGetProperty("prefetchCount", out var prefetch)
                ? prefetch.GetRawText()
                : null;
        return new Sourced(HostJson, "extensions.rabbitMQ.prefetchCount", value);
    }

    /// <summary>&lt;TargetFramework&gt; of Directory.Build.props, e.g. net10.0.</summary>
    public static Sourced TargetFramework()
    {
        var value = XDocument.Parse(RepoFiles.Read(BuildProps)).Descendants("TargetFramework").Select(e => e.Value.Trim()).FirstOrDefault();
        return new Sourced(BuildProps, "TargetFramework", value);
    }

    /// <summary>The .NET version of the target framework (net10.0 -> 10.0), which names the container image tags.</summary>
    public static string DotnetVersion()
    {
        var framework = TargetFramework();
        var match = NetVersion().Match(framework.Value ?? "");
        Assert.True(match.Success, $"{framework}: not a netX.Y target framework");
        return match.Groups[1].Value;
    }

    /// <summary>Whether the broker's definitions file defines the user with this password (RabbitMQ's salted SHA-256).</summary>
    public static bool DefinitionsAuthenticate(string user, string password)
    {
        using var json = JsonDocument.Parse(RepoFiles.Read(Definitions));
        foreach (var entry in json.RootElement.GetProperty("users").EnumerateArray())
        {
            if (entry.GetProperty("name").GetString() != user)
            {
                continue;
            }

            Assert.Equal("rabbit_password_hashing_sha256", entry.GetProperty("hashing_algorithm").GetString());
            var stored = Convert.FromBase64String(entry.GetProperty("password_hash").GetString()!);
            var salt = stored.AsSpan(0, 4);
            var computed = SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(password)]);
            return stored.AsSpan(4).SequenceEqual(computed);
        }

        return false;
    }

    /// <summary>Parses an AMQP URI, failing with the place it came from.</summary>
    public static Uri AmqpUri(Sourced value)
    {
        Assert.True(
            Uri.TryCreate(value.Value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" && uri.Host.Length > 0,
            $"{value}: not an amqp:// or amqps:// URI with a host");
        return uri!;
    }

    public static (string User, string Password) Credentials(Uri uri)
    {
        var parts = uri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }

    [GeneratedRegex(@"^net(\d+\.\d+)$")]
    private static partial Regex NetVersion();
}

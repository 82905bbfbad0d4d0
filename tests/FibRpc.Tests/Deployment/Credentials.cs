using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FibRpc.Tests.Deployment;

/// <summary>Checks an AMQP URI's user and password against the users of the broker's definitions file.</summary>
internal static class Credentials
{
    public const string Definitions = "deploy/rabbitmq/definitions.json";

    /// <summary>Whether the definitions file defines the user with this password (RabbitMQ's salted SHA-256).</summary>
    public static bool Authenticate(string definitionsJson, string user, string password)
    {
        using var json = JsonDocument.Parse(definitionsJson);
        foreach (var entry in json.RootElement.GetProperty("users").EnumerateArray().Where(u => u.GetProperty("name").GetString() == user))
        {
            Assert.Equal("rabbit_password_hashing_sha256", entry.GetProperty("hashing_algorithm").GetString());
            var stored = Convert.FromBase64String(entry.GetProperty("password_hash").GetString()!);
            var computed = SHA256.HashData([.. stored.AsSpan(0, 4), .. Encoding.UTF8.GetBytes(password)]);
            return stored.AsSpan(4).SequenceEqual(computed);
        }

        return false;
    }

    /// <summary>Whether an AMQP URI's credentials log in to the broker that imports the definitions file.</summary>
    public static bool UriAuthenticates(string uri)
    {
        Assert.True(Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme is "amqp" or "amqps", $"'{uri}' is not an AMQP URI");
        var parts = parsed!.UserInfo.Split(':', 2);
        return Authenticate(RepoFiles.Read(Definitions), Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}

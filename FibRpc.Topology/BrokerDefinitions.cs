using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FibRpc.Contract;

namespace FibRpc.Topology;

/// <summary>
/// The broker definitions file (what RabbitMQ's load_definitions imports at boot) of a development broker: the
/// topology <see cref="RpcTopology"/> declares, the policies of <see cref="RpcPolicies"/>, and the users of
/// <see cref="BrokerRoles"/> with their permissions and public dev-only passwords, plus guest as administrator.
/// deploy/rabbitmq/definitions.json is this output (`fibrpc topology --definitions`), never edited by hand.
/// </summary>
public static class BrokerDefinitions
{
    /// <summary>The virtual host the definitions file defines and puts everything in.</summary>
    public const string VirtualHost = "/";

    /// <summary>The user with every permission, for the tool's default URI and the management UI: development only.</summary>
    public const string AdministratorUser = "guest";

    /// <summary>
    /// The password of each user of the file. Public, for development only: a broker that imports the file at boot
    /// creates no default user, so the file must carry every user the development stack logs in as.
    /// </summary>
    public static string DevelopmentPassword(string user) => user == AdministratorUser
        ? AdministratorUser
        : $"{(user.StartsWith("fibrpc-", StringComparison.Ordinal) ? user["fibrpc-".Length..] : user)}-dev-only";

    /// <summary>The definitions file's text for the request queue <paramref name="queue"/>.</summary>
    public static string Json(string queue = RpcNames.Queue, RpcQueueType type = RpcQueueType.Quorum, QueueLimits? limits = null)
    {
        limits ??= QueueLimits.Default;
        var roles = BrokerRoles.All(queue);
        var deadLetterExchange = RpcNames.DeadLetterExchangeFor(queue);
        var deadLetterQueue = RpcNames.DeadLetterQueueFor(queue);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();

            writer.WriteStartArray("users");
            foreach (var (user, tags) in roles.Select(role => (role.User, role.Tags)).Append((AdministratorUser, ["administrator"])))
            {
                writer.WriteStartObject();
                writer.WriteString("name", user);
                writer.WriteString("password_hash", PasswordHash(user, DevelopmentPassword(user)));
                writer.WriteString("hashing_algorithm", "rabbit_password_hashing_sha256");
                WriteStrings(writer, "tags", tags);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();

            writer.WriteStartArray("vhosts");
            writer.WriteStartObject();
            writer.WriteString("name", VirtualHost);
            writer.WriteEndObject();
            writer.WriteEndArray();

            writer.WriteStartArray("permissions");
            foreach (var (user, configure, write, read) in roles.Select(role => (role.User, role.Configure, role.Write, role.Read)).Append((AdministratorUser, ".*", ".*", ".*")))
            {
                writer.WriteStartObject();
                writer.WriteString("user", user);
                writer.WriteString("vhost", VirtualHost);
                writer.WriteString("configure", configure);
                writer.WriteString("write", write);
                writer.WriteString("read", read);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();

            writer.WriteStartArray("exchanges");
            writer.WriteStartObject();
            writer.WriteString("name", deadLetterExchange);
            writer.WriteString("vhost", VirtualHost);
            writer.WriteString("type", RpcTopology.DeadLetterExchangeType);
            writer.WriteBoolean("durable", true);
            writer.WriteBoolean("auto_delete", false);
            writer.WriteBoolean("internal", false);
            WriteArguments(writer, []);
            writer.WriteEndObject();
            writer.WriteEndArray();

            writer.WriteStartArray("queues");
            foreach (var (name, arguments) in new[] { (queue, RpcTopology.RequestQueueArguments(queue, type)), (deadLetterQueue, RpcTopology.DeadLetterQueueArguments(type)) })
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("vhost", VirtualHost);
                writer.WriteBoolean("durable", true);
                writer.WriteBoolean("auto_delete", false);
                WriteArguments(writer, arguments);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();

            writer.WriteStartArray("bindings");
            writer.WriteStartObject();
            writer.WriteString("source", deadLetterExchange);
            writer.WriteString("vhost", VirtualHost);
            writer.WriteString("destination", deadLetterQueue);
            writer.WriteString("destination_type", "queue");
            writer.WriteString("routing_key", string.Empty);
            WriteArguments(writer, []);
            writer.WriteEndObject();
            writer.WriteEndArray();

            writer.WriteStartArray("policies");
            foreach (var policy in RpcPolicies.All(queue, limits))
            {
                writer.WriteStartObject();
                writer.WriteString("vhost", VirtualHost);
                writer.WriteString("name", policy.Name);
                writer.WriteString("pattern", policy.Pattern);
                writer.WriteString("apply-to", policy.ApplyTo);
                writer.WriteNumber("priority", policy.Priority);
                writer.WritePropertyName("definition");
                RpcPolicies.WriteDefinition(writer, policy);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// RabbitMQ's rabbit_password_hashing_sha256: base64 of a 4-byte salt followed by SHA-256(salt + password). The
    /// salt comes from the user's name, so that the same definitions come out byte for byte each time.
    /// </summary>
    public static string PasswordHash(string user, string password)
    {
        var salt = SHA256.HashData(Encoding.UTF8.GetBytes(user)).AsSpan(0, 4);
        byte[] salted = [.. salt, .. Encoding.UTF8.GetBytes(password)];
        return Convert.ToBase64String([.. salt, .. SHA256.HashData(salted)]);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteArguments(Utf8JsonWriter writer, Dictionary<string, object?> arguments)
    {
        writer.WriteStartObject("arguments");
        foreach (var (key, value) in arguments)
        {
            writer.WriteString(key, (string)value!);
        }

        writer.WriteEndObject();
    }
}

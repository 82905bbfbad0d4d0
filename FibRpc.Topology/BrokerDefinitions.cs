using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
        var roles = BrokerRoles.All(queue).Append(new BrokerRole(AdministratorUser, "development only", ".*", ".*", ".*") { Tags = ["administrator"] }).ToList();
        var deadLetterExchange = RpcNames.DeadLetterExchangeFor(queue);
        var deadLetterQueue = RpcNames.DeadLetterQueueFor(queue);
        var definitions = new JsonObject
        {
            ["users"] = Array(roles.Select(role => new JsonObject
            {
                ["name"] = role.User,
                ["password_hash"] = PasswordHash(role.User, DevelopmentPassword(role.User)),
                ["hashing_algorithm"] = "rabbit_password_hashing_sha256",
                ["tags"] = Array(role.Tags.Select(tag => JsonValue.Create(tag))),
            })),
            ["vhosts"] = new JsonArray(new JsonObject { ["name"] = VirtualHost }),
            ["permissions"] = Array(roles.Select(role => new JsonObject
            {
                ["user"] = role.User,
                ["vhost"] = VirtualHost,
                ["configure"] = role.Configure,
                ["write"] = role.Write,
                ["read"] = role.Read,
            })),
            ["exchanges"] = new JsonArray(new JsonObject
            {
                ["name"] = deadLetterExchange,
                ["vhost"] = VirtualHost,
                ["type"] = RpcTopology.DeadLetterExchangeType,
                ["durable"] = true,
                ["auto_delete"] = false,
                ["internal"] = false,
                ["arguments"] = new JsonObject(),
            }),
            ["queues"] = new JsonArray(
                Queue(queue, RpcTopology.RequestQueueArguments(queue, type)),
                Queue(deadLetterQueue, RpcTopology.DeadLetterQueueArguments(type))),
            ["bindings"] = new JsonArray(new JsonObject
            {
                ["source"] = deadLetterExchange,
                ["vhost"] = VirtualHost,
                ["destination"] = deadLetterQueue,
                ["destination_type"] = "queue",
                ["routing_key"] = string.Empty,
                ["arguments"] = new JsonObject(),
            }),
            ["policies"] = Array(RpcPolicies.All(queue, limits ?? QueueLimits.Default).Select(policy => new JsonObject
            {
                ["vhost"] = VirtualHost,
                ["name"] = policy.Name,
                ["pattern"] = policy.Pattern,
                ["apply-to"] = policy.ApplyTo,
                ["priority"] = policy.Priority,
                ["definition"] = RpcPolicies.Definition(policy),
            })),
        };
        return definitions.ToJsonString(Indented) + "\n";
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

    private static JsonArray Array(IEnumerable<JsonNode?> items) => [.. items];

    private static JsonObject Queue(string name, Dictionary<string, object?> arguments) => new()
    {
        ["name"] = name,
        ["vhost"] = VirtualHost,
        ["durable"] = true,
        ["auto_delete"] = false,
        ["arguments"] = new JsonObject(arguments.Select(argument => KeyValuePair.Create(argument.Key, (JsonNode?)(string)argument.Value!))),
    };
}

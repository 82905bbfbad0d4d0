using FibRpc.Contract;
using Microsoft.Extensions.Options;

namespace FibRpc.Service.Replies;

/// <summary>
/// Where replies may go and how they are published. Publishing to the default exchange needs <c>write</c> on
/// <c>amq.default</c>, which covers every queue of the virtual host, so broker permissions cannot confine replies:
/// this policy does. A reply goes only to direct reply-to, to server-named queues (<c>amq.gen-*</c>, which only their
/// declaring connection can consume), and to the names and prefixes an operator allows; never to a queue the service
/// consumes, which would let one message make the service feed itself.
/// </summary>
public sealed class ReplyPolicy
{
    /// <summary>The prefix of the names the broker gives queues declared without a name.</summary>
    public const string ServerNamedPrefix = "amq.gen-";

    private const string DirectReplyToPrefix = RpcNames.DirectReplyTo + ".";

    private readonly HashSet<string> _forbidden;
    private readonly HashSet<string> _allowed;
    private readonly string[] _allowedPrefixes;

    public ReplyPolicy(IOptions<FibRpcOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _forbidden = new HashSet<string>(StringComparer.Ordinal)
        {
            RpcNames.Queue,
            RpcNames.DeadLetterQueue,
            settings.RequestQueue,
            RpcNames.DeadLetterQueueFor(settings.RequestQueue),
        };
        _forbidden.UnionWith(settings.ForbiddenReplyQueues);
        _allowed = new HashSet<string>(settings.AllowedReplyQueues.Where(name => !string.IsNullOrWhiteSpace(name)), StringComparer.Ordinal);
        _allowedPrefixes = [.. settings.AllowedReplyQueuePrefixes.Where(prefix => !string.IsNullOrWhiteSpace(prefix))];
    }

    public ReplyToVerdict Check(string? replyTo)
    {
        if (string.IsNullOrWhiteSpace(replyTo))
        {
            return ReplyToVerdict.Missing;
        }

        if (_forbidden.Contains(replyTo))
        {
            return ReplyToVerdict.Forbidden;
        }

        return IsDirectReplyTo(replyTo)
            || replyTo.StartsWith(ServerNamedPrefix, StringComparison.Ordinal)
            || _allowed.Contains(replyTo)
            || _allowedPrefixes.Any(prefix => replyTo.StartsWith(prefix, StringComparison.Ordinal))
            ? ReplyToVerdict.Allowed
            : ReplyToVerdict.NotAllowed;
    }

    /// <summary>
    /// Mandatory, so that a reply to a vanished queue comes back as returned instead of vanishing, except for direct
    /// reply-to: RabbitMQ returns mandatory messages to <c>amq.rabbitmq.reply-to.*</c> even when it delivers them,
    /// and drops them itself when the client is gone.
    /// </summary>
    public static bool IsMandatory(string replyTo) => !IsDirectReplyTo(replyTo);

    private static bool IsDirectReplyTo(string replyTo) =>
        replyTo == RpcNames.DirectReplyTo || replyTo.StartsWith(DirectReplyToPrefix, StringComparison.Ordinal);
}

/// <summary>The verdict of <see cref="ReplyPolicy.Check"/>.</summary>
public enum ReplyToVerdict
{
    /// <summary>An allowed reply target.</summary>
    Allowed,

    /// <summary>No reply_to: there is no one to answer.</summary>
    Missing,

    /// <summary>A queue the service consumes (its request queue or dead-letter queue, or one configured as forbidden).</summary>
    Forbidden,

    /// <summary>Not direct reply-to, not server-named and not allowed by the configuration.</summary>
    NotAllowed,
}

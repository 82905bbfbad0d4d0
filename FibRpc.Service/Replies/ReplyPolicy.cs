using FibRpc.Contract;
using Microsoft.Extensions.Options;

namespace FibRpc.Service.Replies;

/// <summary>
/// Where replies may go. Publishing to the default exchange needs <c>write</c> on <c>amq.default</c>, which covers
/// every queue of the virtual host, so broker permissions cannot confine replies: this policy does. A reply goes to
/// direct reply-to, to server-named queues (<c>amq.gen-*</c>, which only their declaring connection can consume), to
/// a queue exclusive to another connection whatever its name (the caller's own private queue: aioamqp names its
/// <c>aioamqp.gen-*</c>; only its owner can read it), and to the names and prefixes an operator allows; never to a
/// queue the service consumes, which would let one message make the service feed itself, and never to another
/// shared queue.
/// </summary>
public sealed class ReplyPolicy
{
    /// <summary>The prefix of the names the broker gives queues declared without a name.</summary>
    public const string ServerNamedPrefix = "amq.gen-";

    private const string DirectReplyToPrefix = RpcNames.DirectReplyTo + ".";

    private readonly HashSet<string> _forbidden;
    private readonly HashSet<string> _allowed;
    private readonly string[] _allowedPrefixes;
    private readonly ReplyQueueInspector? _inspector;

    public ReplyPolicy(IOptions<FibRpcOptions> options, ReplyQueueInspector? inspector = null)
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
        _inspector = inspector;
    }

    /// <exception cref="Messaging.PublishFailedException">The broker could not be asked about the queue (transient).</exception>
    public async ValueTask<ReplyToVerdict> CheckAsync(string? replyTo, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(replyTo))
        {
            return ReplyToVerdict.Missing;
        }

        if (_forbidden.Contains(replyTo))
        {
            return ReplyToVerdict.Forbidden;
        }

        if (IsDirectReplyTo(replyTo)
            || replyTo.StartsWith(ServerNamedPrefix, StringComparison.Ordinal)
            || _allowed.Contains(replyTo)
            || _allowedPrefixes.Any(prefix => replyTo.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return ReplyToVerdict.Allowed;
        }

        if (_inspector is null)
        {
            return ReplyToVerdict.NotAllowed;
        }

        return await _inspector.InspectAsync(replyTo, cancellationToken).ConfigureAwait(false) switch
        {
            ReplyQueueKind.ExclusiveToCaller => ReplyToVerdict.Allowed,
            ReplyQueueKind.Missing => ReplyToVerdict.NoSuchQueue,
            _ => ReplyToVerdict.NotAllowed,
        };
    }

    /// <summary>
    /// Mandatory, so that a reply to a vanished queue comes back as returned instead of vanishing, except for direct
    /// reply-to: RabbitMQ returns mandatory messages to <c>amq.rabbitmq.reply-to.*</c> even when it delivers them,
    /// and drops them itself when the client is gone.
    /// </summary>
    public static bool IsMandatory(string replyTo) => !IsDirectReplyTo(replyTo);

    public static bool IsDirectReplyTo(string replyTo) =>
        replyTo == RpcNames.DirectReplyTo || replyTo.StartsWith(DirectReplyToPrefix, StringComparison.Ordinal);
}

/// <summary>The verdict of <see cref="ReplyPolicy.CheckAsync"/>.</summary>
public enum ReplyToVerdict
{
    Allowed,

    /// <summary>No reply_to.</summary>
    Missing,

    /// <summary>A queue the service consumes (its request queue or dead-letter queue, or one configured as forbidden).</summary>
    Forbidden,

    /// <summary>A shared queue that is not direct reply-to, not server-named and not allowed by the configuration.</summary>
    NotAllowed,

    /// <summary>No queue of that name exists.</summary>
    NoSuchQueue,
}

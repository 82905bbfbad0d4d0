using FibRpc.Contract;
using FibRpc.Service;
using Microsoft.Extensions.Options;

namespace FibRpc.Service.Replies;

/// <summary>
/// Where replies may go and how they are published. Replying into a queue that the service itself consumes would
/// let one message make the service feed itself, so the request queues and their dead-letter queues are refused.
/// </summary>
public sealed class ReplyPolicy
{
    private readonly HashSet<string> _forbidden;

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
    }

    public ReplyToVerdict Check(string? replyTo) =>
        string.IsNullOrWhiteSpace(replyTo) ? ReplyToVerdict.Missing
        : _forbidden.Contains(replyTo) ? ReplyToVerdict.Forbidden
        : ReplyToVerdict.Allowed;

    /// <summary>
    /// Mandatory, so that a reply to a vanished queue comes back as returned instead of vanishing, except for direct
    /// reply-to: RabbitMQ returns mandatory messages to <c>amq.rabbitmq.reply-to.*</c> even when it delivers them,
    /// and drops them itself when the client is gone.
    /// </summary>
    public static bool IsMandatory(string replyTo) => !replyTo.StartsWith(RpcNames.DirectReplyTo, StringComparison.Ordinal);
}

/// <summary>The verdict of <see cref="ReplyPolicy.Check"/>.</summary>
public enum ReplyToVerdict
{
    Allowed,
    Missing,
    Forbidden,
}

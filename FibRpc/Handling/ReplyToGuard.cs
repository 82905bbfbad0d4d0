using Microsoft.Extensions.Options;

namespace FibRpc.Handling;

/// <summary>
/// Decides whether a reply may be sent to a request's reply_to. Replying into a queue that the service itself
/// consumes would let one message make the service feed itself, so those are refused.
/// </summary>
public sealed class ReplyToGuard
{
    private readonly HashSet<string> _forbidden;

    public ReplyToGuard(IOptions<FibRpcOptions> options)
    {
        var settings = options.Value;
        _forbidden = new HashSet<string>(StringComparer.Ordinal)
        {
            RpcNames.Queue,
            RpcNames.DeadLetterQueue,
            settings.RequestQueue,
            Topology.RpcTopology.DeadLetterQueueFor(settings.RequestQueue),
        };
        _forbidden.UnionWith(settings.ForbiddenReplyQueues);
    }

    public ReplyToVerdict Check(string? replyTo) =>
        string.IsNullOrWhiteSpace(replyTo) ? ReplyToVerdict.Missing
        : _forbidden.Contains(replyTo) ? ReplyToVerdict.Forbidden
        : ReplyToVerdict.Allowed;
}

/// <summary>The verdict of <see cref="ReplyToGuard"/>.</summary>
public enum ReplyToVerdict
{
    Allowed,
    Missing,
    Forbidden,
}

namespace FibRpc.Messaging;

/// <summary>
/// Why a confirmed publish did not succeed. The first four are transient: the same message may succeed later, on a
/// fresh channel or once the broker is back or unblocked. <see cref="Refused"/> and <see cref="Forbidden"/> are not:
/// publishing again fails the same way until the message or the deployment changes.
/// </summary>
public enum PublishFailure
{
    /// <summary>The broker nacked the message; try again on a fresh channel.</summary>
    Nacked,

    /// <summary>No confirm arrived within the confirm timeout.</summary>
    TimedOut,

    /// <summary>The channel or connection went down before the confirm (network, broker restart).</summary>
    ConnectionLost,

    /// <summary>The broker blocks publishers (memory or disk alarm) and did not lift the block within the publisher's whole bound.</summary>
    Blocked,

    /// <summary>
    /// The broker closed the channel or connection because of where this message went (406, or 541 for a reply-to
    /// name that imitates a direct reply-to one): the message's fault.
    /// </summary>
    Refused,

    /// <summary>
    /// The broker refused the publisher itself: no permission on the exchange (403), an exchange or virtual host that
    /// does not exist (404, 530). A fault of the deployment: every publish fails until an operator acts.
    /// </summary>
    Forbidden,
}

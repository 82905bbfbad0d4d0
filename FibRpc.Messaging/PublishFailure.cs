namespace FibRpc.Messaging;

/// <summary>Why a confirmed publish did not succeed.</summary>
public enum PublishFailure
{
    /// <summary>The broker nacked the message (it could not take it). Transient: try again on a fresh channel.</summary>
    Nacked,

    /// <summary>No confirm arrived within the confirm timeout. Transient.</summary>
    TimedOut,

    /// <summary>The channel or connection went down before the confirm (network, broker restart). Transient.</summary>
    ConnectionLost,

    /// <summary>The broker blocks publishers (memory or disk alarm) and did not lift the block in time. Transient.</summary>
    Blocked,

    /// <summary>
    /// The broker closed the channel or connection because of this very message (for example a reply-to name that
    /// is not a live direct reply-to, or no permission to publish there). Retrying would fail the same way.
    /// </summary>
    Refused,
}

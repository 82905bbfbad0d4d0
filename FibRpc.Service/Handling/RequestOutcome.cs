namespace FibRpc.Service.Handling;

/// <summary>How a request ended. Every outcome means the request is done with and may be acked.</summary>
public enum RequestOutcome
{
    /// <summary>F(n) was published and confirmed.</summary>
    Answered,

    /// <summary>The request was bad; an error reply was published and confirmed.</summary>
    Rejected,

    /// <summary>No reply_to: there is no one to answer. Logged and dropped.</summary>
    NoReplyTo,

    /// <summary>reply_to names a queue the service consumes, or one that is not an allowed reply target. Logged, counted, dropped.</summary>
    ReplyToRefused,

    /// <summary>
    /// The reply could not be delivered and never will be: the broker returned it as unroutable (the client's queue is
    /// gone) or refused it (for example a reply_to that imitates a direct reply-to name). Logged, not retried.
    /// </summary>
    ReplyUndeliverable,

    /// <summary>The request had failed as often as allowed; an error reply said so instead of trying again.</summary>
    AttemptsExhausted,

    /// <summary>
    /// The reply could not be published, and the request carried a requeue header the Functions host cannot count
    /// with; the service put a copy with a clean header back on the request queue itself (confirmed) instead of
    /// throwing, which would stall the host's consumer.
    /// </summary>
    Requeued,

    /// <summary>
    /// The reply and the service's own requeue both failed for a request whose requeue header the Functions host
    /// cannot count with: dropped, because throwing would stall the host's consumer for every request behind it.
    /// </summary>
    Dropped,

    /// <summary>The caller's timeout (the request's timestamp + expiration) had passed: nobody waits for the answer. Logged, dropped.</summary>
    Expired,

    /// <summary>The request could not be read at all (binding data that is not the host's JSON). Logged and dropped.</summary>
    Unreadable,
}

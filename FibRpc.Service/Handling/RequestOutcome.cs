namespace FibRpc.Service.Handling;

/// <summary>How a request ended, as the logs, metrics and spans tell it.</summary>
public enum RequestOutcome
{
    /// <summary>F(n) was published and confirmed.</summary>
    Answered,

    /// <summary>The request was bad; an error reply said why (published and confirmed).</summary>
    BadRequest,

    /// <summary>The service failed to compute the answer (a fault of ours); an <c>internal_error</c> reply said so.</summary>
    InternalError,

    /// <summary>The request had been attempted as often as allowed; an <c>attempts_exhausted</c> reply said so.</summary>
    AttemptsExhausted,

    /// <summary>No reply_to: there is no one to answer.</summary>
    NoReplyTo,

    /// <summary>reply_to names a queue the service consumes, or a shared queue that is not an allowed reply target.</summary>
    ReplyToRefused,

    /// <summary>
    /// The reply cannot be delivered, ever: reply_to names no queue (the broker returned the reply as unroutable, or
    /// the queue does not exist), or imitates a direct reply-to name that no consumer owns.
    /// </summary>
    ReplyUndeliverable,

    /// <summary>The caller's timeout (the request's timestamp + expiration) had passed: nobody waits for the answer.</summary>
    Expired,

    /// <summary>The request's properties could not be read at all.</summary>
    Unreadable,

    /// <summary>
    /// The reply could not be published, after the service's own retries: the broker was unreachable, nacked, did not
    /// confirm, or does not let this service publish (a fault of the deployment).
    /// </summary>
    ReplyFailed,
}

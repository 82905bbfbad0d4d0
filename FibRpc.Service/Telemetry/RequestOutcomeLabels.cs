using FibRpc.Service.Handling;

namespace FibRpc.Service.Telemetry;

/// <summary>
/// The <c>outcome</c> label of <c>fibrpc.requests</c> for each way a request can end: few values, so that a dashboard
/// can sum them; the <c>error.type</c> label says why, where there is a why.
/// </summary>
public static class RequestOutcomeLabels
{
    public const string Ok = "ok";
    public const string Error = "error";
    public const string Refused = "refused";
    public const string Undeliverable = "undeliverable";
    public const string Expired = "expired";
    public const string Retried = "retried";
    public const string DeadLettered = "dead_lettered";
    public const string Dropped = "dropped";

    /// <param name="outcome">How the handler ended.</param>
    /// <param name="errorCode">The error reply's code, when one was sent.</param>
    public static (string Outcome, string? ErrorType) For(RequestOutcome outcome, string? errorCode) => outcome switch
    {
        RequestOutcome.Answered => (Ok, null),
        RequestOutcome.Rejected or RequestOutcome.AttemptsExhausted => (Error, errorCode),
        RequestOutcome.NoReplyTo => (Refused, "no_reply_to"),
        RequestOutcome.ReplyToRefused => (Refused, "reply_to_not_allowed"),
        RequestOutcome.Unreadable => (Refused, "unreadable"),
        RequestOutcome.ReplyUndeliverable => (Undeliverable, errorCode),
        RequestOutcome.Expired => (Expired, null),
        // The service put a copy back on the queue itself: another attempt will come.
        RequestOutcome.Requeued => (Retried, "reply_failed"),
        RequestOutcome.Dropped => (Dropped, "reply_failed"),
        _ => (outcome.ToString(), null),
    };
}

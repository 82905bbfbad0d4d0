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

    public static (string Outcome, string? ErrorType) For(RequestResult result) => result.Outcome switch
    {
        RequestOutcome.Answered => (Ok, null),
        RequestOutcome.BadRequest or RequestOutcome.InternalError or RequestOutcome.AttemptsExhausted => (Error, result.ErrorType),
        RequestOutcome.NoReplyTo or RequestOutcome.ReplyToRefused => (Refused, result.ErrorType),
        RequestOutcome.ReplyUndeliverable => (Undeliverable, result.ErrorType),
        RequestOutcome.Expired => (Expired, null),
        _ => (result.Disposition == Disposition.DeadLetter ? DeadLettered : Retried, result.ErrorType),
    };
}

using FibRpc.Service.Handling;

namespace FibRpc.Service.Telemetry;

/// <summary>
/// The <c>outcome</c> label of <c>messaging.process.duration</c> for each way a request can end: few values, so that a
/// dashboard can sum them; the <c>error.type</c> label says why, where there is a why.
/// </summary>
public static class RequestOutcomeLabels
{
    public const string Name = "outcome";

    public const string Ok = "ok";

    /// <summary>The caller's request was bad; an error reply said why (its code is the error type).</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The service failed the request itself (<c>internal_error</c>, <c>attempts_exhausted</c>); an error reply said so.</summary>
    public const string ServiceError = "service_error";

    public const string Refused = "refused";
    public const string Undeliverable = "undeliverable";
    public const string Expired = "expired";
    public const string Retried = "retried";
    public const string DeadLettered = "dead_lettered";

    public static (string Outcome, string? ErrorType) For(RequestResult result) => result.Outcome switch
    {
        RequestOutcome.Answered => (Ok, null),
        RequestOutcome.BadRequest => (BadRequest, result.ErrorType),
        RequestOutcome.InternalError or RequestOutcome.AttemptsExhausted => (ServiceError, result.ErrorType),
        RequestOutcome.NoReplyTo or RequestOutcome.ReplyToRefused => (Refused, result.ErrorType),
        RequestOutcome.ReplyUndeliverable => (Undeliverable, result.ErrorType),
        RequestOutcome.Expired => (Expired, null),
        _ => (result.Disposition == Disposition.DeadLetter ? DeadLettered : Retried, result.ErrorType),
    };
}

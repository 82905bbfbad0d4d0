namespace FibRpc.Service.Handling;

/// <summary>
/// The service's decision about one request: how it ended, and what the host does with the delivery. The one result
/// type from the reply's publish to the host's settlement.
/// </summary>
/// <param name="Outcome">How the request ended.</param>
/// <param name="Disposition">What the host does with the delivery.</param>
/// <param name="ErrorType">Why, in a few words for metrics and spans (an error code, <c>reply_forbidden</c>, ...); null for an answer.</param>
/// <param name="Attempt">Which attempt this was (1 for the first), from the evidence the service trusts.</param>
public readonly record struct RequestResult(RequestOutcome Outcome, Disposition Disposition, string? ErrorType, int Attempt)
{
    public override string ToString() => $"{Outcome} ({ErrorType ?? "-"}): {Disposition}, attempt {Attempt}";
}

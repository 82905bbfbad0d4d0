namespace FibRpc.Service.Handling;

/// <summary>
/// The service's decision about one request, from the reply's publish to the host's settlement: how it ended, what the
/// host does with the delivery, why in a few words for metrics and spans (an error code, <c>reply_forbidden</c>, ...;
/// null for an answer), and which attempt it was (1 for the first, from the evidence the service trusts).
/// </summary>
public readonly record struct RequestResult(RequestOutcome Outcome, Disposition Disposition, string? ErrorType, int Attempt)
{
    public override string ToString() => $"{Outcome} ({ErrorType ?? "-"}): {Disposition}, attempt {Attempt}";
}

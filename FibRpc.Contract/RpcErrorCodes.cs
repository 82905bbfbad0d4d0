namespace FibRpc.Contract;

/// <summary>The machine-readable codes carried in the <see cref="RpcNames.ErrorCodeHeader"/> header of an error reply.</summary>
public static class RpcErrorCodes
{
    /// <summary>The body is empty or only whitespace.</summary>
    public const string EmptyRequest = "empty_request";

    /// <summary>The body is not a decimal integer.</summary>
    public const string NotANumber = "not_a_number";

    /// <summary>n is negative.</summary>
    public const string Negative = "negative";

    /// <summary>n is larger than the configured limit.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The body is longer than the configured limit.</summary>
    public const string BodyTooLarge = "body_too_large";

    /// <summary>The body is not valid UTF-8.</summary>
    public const string NotUtf8 = "not_utf8";

    /// <summary>The service failed while computing the answer (a bug, not the client's fault).</summary>
    public const string Internal = "internal_error";

    /// <summary>The request was delivered and failed as often as the service allows; it is not tried again.</summary>
    public const string AttemptsExhausted = "attempts_exhausted";
}

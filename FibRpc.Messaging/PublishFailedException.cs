namespace FibRpc.Messaging;

/// <summary>A confirmed publish failed; <see cref="Failure"/> says how, and whether trying again can help.</summary>
public sealed class PublishFailedException(PublishFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public PublishFailure Failure { get; } = failure;

    /// <summary>Whether the same message may succeed when published again (on a fresh channel, after a back-off).</summary>
    public bool IsTransient => Failure != PublishFailure.Refused;
}

namespace FibRpc.Messaging;

/// <summary>A confirmed publish failed; <see cref="Failure"/> says how.</summary>
public sealed class PublishFailedException(PublishFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public PublishFailure Failure { get; } = failure;
}

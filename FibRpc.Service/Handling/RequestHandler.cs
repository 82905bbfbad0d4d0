using FibRpc.Contract;
using FibRpc.Engine;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Binding;
using FibRpc.Service.Replies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FibRpc.Service.Handling;

/// <summary>
/// The single entry point for a request, called by the Azure Function and by the local trigger host alike.
/// Returns normally for every request it could answer or must drop; throws only when the reply could not be
/// published (a transient failure), so that the trigger retries the request.
/// </summary>
public sealed partial class RequestHandler(
    IFibonacciEngine engine,
    IConfirmedPublisher publisher,
    ReplyPolicy replyPolicy,
    IOptions<FibRpcOptions> options,
    ILogger<RequestHandler> logger)
{
    private readonly FibRpcOptions _options = options.Value;

    public async Task<RequestOutcome> HandleAsync(ReadOnlyMemory<byte> body, RequestProperties properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var replyTo = properties.ReplyTo;
        switch (replyPolicy.Check(replyTo))
        {
            case ReplyToVerdict.Missing:
                LogNoReplyTo(logger, properties.CorrelationId, properties.MessageId);
                return RequestOutcome.NoReplyTo;
            case ReplyToVerdict.Forbidden:
                LogForbiddenReplyTo(logger, replyTo, properties.CorrelationId);
                return RequestOutcome.ForbiddenReplyTo;
        }

        var request = RequestParser.Parse(body.Span, _options.MaxN, _options.MaxBodyBytes);
        var reply = request.Error is { } error
            ? Refuse(properties, error)
            : Compute(request.N, properties, cancellationToken);

        var published = await publisher.PublishAsync(
            replyTo!, ReplyPolicy.IsMandatory(replyTo!), ReplyMessage.Properties(reply, properties.TraceParent), reply.Body, cancellationToken).ConfigureAwait(false);
        if (published == PublishOutcome.Returned)
        {
            LogReplyUnroutable(logger, replyTo, properties.CorrelationId);
            return RequestOutcome.ReplyUnroutable;
        }

        return reply.IsError ? RequestOutcome.Rejected : RequestOutcome.Answered;
    }

    private Reply Compute(int n, RequestProperties properties, CancellationToken cancellationToken)
    {
        try
        {
            var digits = engine.ComputeDecimal(n, cancellationToken);
            LogAnswered(logger, n, properties.CorrelationId, digits.Length);
            return Reply.Success(properties.CorrelationId, digits);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of ours, not of the request: retrying would fail the same way, so the client hears it now.
            LogComputeFailed(logger, e, n, properties.CorrelationId);
            return Refuse(properties, new RpcError(RpcErrorCodes.Internal, "the service failed to compute the answer"));
        }
    }

    private Reply Refuse(RequestProperties properties, RpcError error)
    {
        LogBadRequest(logger, error.Code, properties.CorrelationId, error.Message);
        return Reply.Failure(properties.CorrelationId, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request without reply_to dropped (correlation id {CorrelationId}, message id {MessageId}): there is no one to answer")]
    private static partial void LogNoReplyTo(ILogger logger, string? correlationId, string? messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request refused: reply_to '{ReplyTo}' names a queue this service consumes (correlation id {CorrelationId})")]
    private static partial void LogForbiddenReplyTo(ILogger logger, string? replyTo, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply to '{ReplyTo}' (correlation id {CorrelationId}) is unroutable: the client's queue is gone; not retried")]
    private static partial void LogReplyUnroutable(ILogger logger, string? replyTo, string? correlationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "F({N}) answered (correlation id {CorrelationId}, {Digits} digits)")]
    private static partial void LogAnswered(ILogger logger, int n, string? correlationId, int digits);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bad request {Code} (correlation id {CorrelationId}): {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string code, string? correlationId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Computing F({N}) failed (correlation id {CorrelationId})")]
    private static partial void LogComputeFailed(ILogger logger, Exception exception, int n, string? correlationId);
}

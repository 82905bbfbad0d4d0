using System.Diagnostics;
using FibRpc.Contract;
using FibRpc.Engine;
using FibRpc.Messaging;
using FibRpc.Messaging.Telemetry;
using FibRpc.Service.Binding;
using FibRpc.Service.Replies;
using FibRpc.Service.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FibRpc.Service.Handling;

/// <summary>
/// Makes every decision about a request, once, for both hosts (the Functions host through
/// <see cref="FunctionTriggerAdapter"/>, <c>fibrpc serve</c> through the local trigger host): may it be answered,
/// which attempt is it, has it expired, what is the caller told, and what happens to the delivery
/// (<see cref="Disposition"/>). The hosts only carry the decision out. Never throws for a request; only cancellation
/// (the host stopping) ends it early.
/// </summary>
public sealed partial class RequestService(
    IFibonacciEngine engine,
    ReplySender replies,
    ReplyPolicy replyPolicy,
    IOptions<FibRpcOptions> options,
    ServiceMetrics metrics,
    TimeProvider clock,
    ILogger<RequestService> logger)
{
    private readonly FibRpcOptions _options = options.Value;

    /// <summary>The queue the service consumes.</summary>
    public string RequestQueue => _options.RequestQueue;

    /// <summary>Handles one request in a <c>process</c> span continuing the caller's trace, and counts how it ended.</summary>
    public async Task<RequestResult> HandleAsync(ReadOnlyMemory<byte> body, RequestProperties properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var started = Stopwatch.GetTimestamp();
        metrics.Consumed(RequestQueue);
        var host = Activity.Current;
        using var activity = ServiceTracing.StartProcess(RequestQueue, properties, body.Length);
        if (activity is not null && host is not null && host.TraceId != activity.TraceId)
        {
            // The Functions worker's invocation span is in the host's trace, not the caller's: linked, so either
            // view leads to the other.
            activity.AddLink(new ActivityLink(host.Context));
        }

        var attempts = AttemptCount.Of(properties, _options.MaxAttempts);
        if (attempts.Ignored is { } ignored)
        {
            LogCounterIgnored(logger, properties.CorrelationId, ignored);
        }

        RequestResult result;
        try
        {
            result = await DecideAsync(body, properties, attempts.Attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A fault of ours outside computing (which answers internal_error itself): tried again like a failed reply.
            LogUnexpected(logger, e, properties.CorrelationId);
            result = GiveUpOrRetry(RequestOutcome.ReplyFailed, e.GetType().Name, attempts.Attempt);
        }

        Record(result, activity, started);
        return result;
    }

    /// <summary>The decision for a delivery whose properties could not be read at all: nothing in it can be trusted, not even reply_to.</summary>
    public RequestResult Unreadable(Exception error)
    {
        LogUnreadable(logger, error);
        metrics.Consumed(RequestQueue);
        var result = new RequestResult(RequestOutcome.Unreadable, Disposition.DeadLetter, "unreadable", 1);
        Record(result, null, Stopwatch.GetTimestamp());
        return result;
    }

    /// <summary>
    /// Does once, before the first request, what the first request would otherwise pay for: the reply connection and
    /// a confirm channel, the engine's first computation, and the code of the whole path (parse, compute, reply
    /// properties, confirmed publish). The warm-up message goes, not mandatory, to a queue that does not exist, so the
    /// broker confirms and drops it: nobody receives anything. No span, no measurement and no log line: nobody asked.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var (reply, _) = Answer("10"u8.ToArray(), new RequestProperties(null, "warm-up", RequestProperties.NoHeaders), 1, observed: false, cancellationToken);
        await replies.SendAsync(WarmUpQueuePrefix + Guid.NewGuid().ToString("N"), ReplyMessage.Properties(reply), reply.Body, cancellationToken, mandatory: false, retry: false).ConfigureAwait(false);
    }

    /// <summary>The names of the (nonexistent) queues the warm-up message is addressed to: the service's name, then what it is for.</summary>
    public const string WarmUpQueuePrefix = ConnectionNames.Service + ".warm-up.";

    private async Task<RequestResult> DecideAsync(ReadOnlyMemory<byte> body, RequestProperties properties, int attempt, CancellationToken cancellationToken)
    {
        var replyTo = properties.ReplyTo;
        ReplyToVerdict verdict;
        try
        {
            verdict = await replyPolicy.CheckAsync(replyTo, cancellationToken).ConfigureAwait(false);
        }
        catch (PublishFailedException e)
        {
            // The broker could not be asked about the reply queue: as transient as a failed reply.
            return ReplyFailed(e, properties, attempt);
        }

        switch (verdict)
        {
            case ReplyToVerdict.Missing:
                LogNoReplyTo(logger, properties.CorrelationId, properties.MessageId);
                return new RequestResult(RequestOutcome.NoReplyTo, Disposition.Ack, "no_reply_to", attempt);
            case ReplyToVerdict.Forbidden:
                LogForbiddenReplyTo(logger, replyTo, properties.CorrelationId);
                return new RequestResult(RequestOutcome.ReplyToRefused, Disposition.Ack, "reply_to_not_allowed", attempt);
            case ReplyToVerdict.NotAllowed:
                LogNotAllowedReplyTo(logger, replyTo, properties.CorrelationId);
                return new RequestResult(RequestOutcome.ReplyToRefused, Disposition.Ack, "reply_to_not_allowed", attempt);
            case ReplyToVerdict.NoSuchQueue:
                LogReplyUnroutable(logger, replyTo, properties.CorrelationId);
                return new RequestResult(RequestOutcome.ReplyUndeliverable, Disposition.Ack, "no_such_queue", attempt);
        }

        if (properties.ExpiresAt is { } expiresAt && clock.GetUtcNow() > expiresAt)
        {
            LogExpired(logger, properties.CorrelationId, expiresAt);
            return new RequestResult(RequestOutcome.Expired, Disposition.Ack, null, attempt);
        }

        var (reply, outcome) = Answer(body, properties, attempt, observed: true, cancellationToken);
        return await PublishAsync(replyTo!, reply, outcome, properties, attempt, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RequestResult> PublishAsync(string replyTo, Reply reply, RequestOutcome outcome, RequestProperties properties, int attempt, CancellationToken cancellationToken)
    {
        using var send = ServiceTracing.StartReply(replyTo, properties.CorrelationId, reply.Body.Length);
        var destination = MessagingAttributes.DestinationTemplate(replyTo, out _);
        var publishing = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                // The reply carries this span's context, the server's, never the request's: the reply is a message
                // the server created.
                var published = await replies.SendAsync(replyTo, ReplyMessage.Properties(reply, send), reply.Body, cancellationToken).ConfigureAwait(false);
                if (published == PublishOutcome.Returned)
                {
                    ReplyFinished(send, destination, "unroutable", publishing);
                    LogReplyUnroutable(logger, replyTo, properties.CorrelationId);
                    return new RequestResult(RequestOutcome.ReplyUndeliverable, Disposition.Ack, "unroutable", attempt);
                }

                ReplyFinished(send, destination, null, publishing);
                return new RequestResult(outcome, Disposition.Ack, reply.Error?.Code, attempt);
            }
            catch (PublishFailedException e) when (e.Failure == PublishFailure.Blocked)
            {
                // A memory or disk alarm: nothing can be published until it lifts, and the request is healthy. Hold it
                // and try again (the publisher waits BlockedWait each time); no attempt is spent. Ends when the host
                // stops or the invocation is cancelled.
                LogHeldWhileBlocked(logger, properties.CorrelationId, e.Message);
            }
            catch (PublishFailedException e) when (e.Failure == PublishFailure.Refused && ReplyPolicy.IsDirectReplyTo(replyTo))
            {
                // A reply_to that imitates a direct reply-to name no consumer owns: the request's fault, never curable.
                ReplyFinished(send, destination, "refused", publishing, e.Message);
                LogReplyRefused(logger, replyTo, properties.CorrelationId, e.Message);
                return new RequestResult(RequestOutcome.ReplyUndeliverable, Disposition.Ack, "refused", attempt);
            }
            catch (PublishFailedException e)
            {
                ReplyFinished(send, destination, ErrorType(e.Failure), publishing, e.Message);
                return ReplyFailed(e, properties, attempt);
            }
        }
    }

    private RequestResult ReplyFailed(PublishFailedException failure, RequestProperties properties, int attempt)
    {
        if (failure.Failure == PublishFailure.Forbidden)
        {
            // Never the request's fault: the service may not publish at all. Nothing can be added to the message
            // (publishing is what fails), so the reason goes here, to the metric and to the health signal.
            LogDeploymentFault(logger, failure.Message);
            metrics.DeploymentFault(failure.Failure.ToString());
        }

        var result = GiveUpOrRetry(RequestOutcome.ReplyFailed, ErrorType(failure.Failure), attempt);
        if (result.Disposition == Disposition.DeadLetter)
        {
            LogGivenUp(logger, failure, properties.CorrelationId, attempt);
        }
        else
        {
            LogRetrying(logger, properties.CorrelationId, attempt, _options.MaxAttempts, failure.Message);
        }

        return result;
    }

    private RequestResult GiveUpOrRetry(RequestOutcome outcome, string errorType, int attempt) =>
        new(outcome, attempt >= _options.MaxAttempts ? Disposition.DeadLetter : Disposition.Retry, errorType, attempt);

    private static string ErrorType(PublishFailure failure) => failure switch
    {
        PublishFailure.Nacked => "reply_nacked",
        PublishFailure.TimedOut => "reply_confirm_timeout",
        PublishFailure.ConnectionLost => "connection_lost",
        PublishFailure.Blocked => "broker_blocked",
        PublishFailure.Refused => "reply_refused",
        PublishFailure.Forbidden => "reply_forbidden",
        _ => "reply_failed",
    };

    private (Reply Reply, RequestOutcome Outcome) Answer(ReadOnlyMemory<byte> body, RequestProperties properties, int attempt, bool observed, CancellationToken cancellationToken)
    {
        if (attempt > _options.MaxAttempts)
        {
            // Delivered again and again without ever being settled (a quorum queue counts it even when the process
            // died mid-request): not computed once more, and the caller hears why at once instead of at its timeout.
            LogAttemptsExhausted(logger, properties.CorrelationId, attempt - 1);
            return (Reply.Failure(properties.CorrelationId, new RpcError(RpcErrorCodes.AttemptsExhausted,
                $"the request was delivered {attempt - 1} times without an answer; it is not tried again")), RequestOutcome.AttemptsExhausted);
        }

        var request = RequestParser.Parse(body.Span, _options.MaxN, _options.MaxBodyBytes);
        if (request.Error is { } error)
        {
            LogBadRequest(logger, error.Code, properties.CorrelationId, error.Message);
            return (Reply.Failure(properties.CorrelationId, error), RequestOutcome.BadRequest);
        }

        try
        {
            var computing = Stopwatch.GetTimestamp();
            using var span = observed ? ServiceTracing.StartCompute(request.N) : null;
            var digits = engine.ComputeDecimal(request.N, cancellationToken);
            span?.SetTag("fibrpc.digits", digits.Length);
            if (observed)
            {
                metrics.Computed(Stopwatch.GetElapsedTime(computing));
                LogAnswered(logger, request.N, properties.CorrelationId, digits.Length);
            }

            return (Reply.Success(properties.CorrelationId, digits), RequestOutcome.Answered);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of ours, not of the request: retrying would fail the same way, so the caller hears it now.
            LogComputeFailed(logger, e, request.N, properties.CorrelationId);
            return (Reply.Failure(properties.CorrelationId, new RpcError(RpcErrorCodes.Internal, "the service failed to compute the answer")), RequestOutcome.InternalError);
        }
    }

    private void ReplyFinished(Activity? send, string destination, string? errorType, long started, string? description = null)
    {
        if (errorType is not null)
        {
            ServiceTracing.Fail(send, errorType, description);
        }

        metrics.ReplyPublished(destination, errorType, Stopwatch.GetElapsedTime(started));
    }

    private void Record(RequestResult result, Activity? activity, long started)
    {
        var (label, errorType) = RequestOutcomeLabels.For(result);
        activity?.SetTag("fibrpc.outcome", label);
        if (errorType is not null)
        {
            ServiceTracing.Fail(activity, errorType);
        }

        metrics.Handled(RequestQueue, label, errorType, Stopwatch.GetElapsedTime(started));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request without reply_to dropped (correlation id {CorrelationId}, message id {MessageId}): there is no one to answer")]
    private static partial void LogNoReplyTo(ILogger logger, string? correlationId, string? messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request refused: reply_to '{ReplyTo}' names a queue this service consumes (correlation id {CorrelationId})")]
    private static partial void LogForbiddenReplyTo(ILogger logger, string? replyTo, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request refused: reply_to '{ReplyTo}' is a shared queue, not an allowed reply target (allowed: direct reply-to, amq.gen-*, a queue exclusive to the caller's connection, or FibRpc__AllowedReplyQueues / FibRpc__AllowedReplyQueuePrefixes) (correlation id {CorrelationId})")]
    private static partial void LogNotAllowedReplyTo(ILogger logger, string? replyTo, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply to '{ReplyTo}' (correlation id {CorrelationId}) cannot be delivered: no such queue (the client's queue is gone); not retried")]
    private static partial void LogReplyUnroutable(ILogger logger, string? replyTo, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reply to '{ReplyTo}' (correlation id {CorrelationId}) was refused by the broker: not a live direct reply-to name; not retried ({Reason})")]
    private static partial void LogReplyRefused(ILogger logger, string? replyTo, string? correlationId, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The broker does not let this service publish replies: {Reason}. Requests are retried and then dead-lettered until the deployment is fixed (permissions of the RabbitMQConnection user: write on amq.default)")]
    private static partial void LogDeploymentFault(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply failed for request (correlation id {CorrelationId}), attempt {Attempt} of {MaxAttempts}; the request is retried: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string? correlationId, int attempt, int maxAttempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reply failed for request (correlation id {CorrelationId}) at its last attempt ({Attempt}): dead-lettered")]
    private static partial void LogGivenUp(ILogger logger, Exception exception, string? correlationId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker blocks publishing (memory or disk alarm); request (correlation id {CorrelationId}) held until it lifts, no attempt counted: {Reason}")]
    private static partial void LogHeldWhileBlocked(ILogger logger, string? correlationId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt counter of request (correlation id {CorrelationId}) ignored: {Ignored}")]
    private static partial void LogCounterIgnored(ILogger logger, string? correlationId, string ignored);

    [LoggerMessage(Level = LogLevel.Debug, Message = "F({N}) answered (correlation id {CorrelationId}, {Digits} digits)")]
    private static partial void LogAnswered(ILogger logger, int n, string? correlationId, int digits);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bad request {Code} (correlation id {CorrelationId}): {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string code, string? correlationId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Computing F({N}) failed (correlation id {CorrelationId})")]
    private static partial void LogComputeFailed(ILogger logger, Exception exception, int n, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request (correlation id {CorrelationId}) was delivered {Deliveries} times without an answer: answered with attempts_exhausted instead of another attempt")]
    private static partial void LogAttemptsExhausted(ILogger logger, string? correlationId, int deliveries);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request (correlation id {CorrelationId}) expired at {ExpiresAt:O}: its caller no longer waits; dropped")]
    private static partial void LogExpired(ILogger logger, string? correlationId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request properties unreadable: dead-lettered")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling request (correlation id {CorrelationId}) failed unexpectedly; it is retried")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string? correlationId);
}

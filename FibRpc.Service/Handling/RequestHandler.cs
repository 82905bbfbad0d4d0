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
using RabbitMQ.Client;

namespace FibRpc.Service.Handling;

/// <summary>
/// The single entry point for a request, called by the Azure Function and by the local trigger host alike.
/// Returns normally for every request it could answer or must drop; throws only when the reply could not be
/// published (a transient failure, after the service's own retries), so that the trigger retries the request, and
/// never when the Functions host could not count that retry (then it requeues the request itself).
/// </summary>
public sealed partial class RequestHandler(
    IFibonacciEngine engine,
    ReplySender replies,
    IConfirmedPublisher publisher,
    ReplyPolicy replyPolicy,
    IOptions<FibRpcOptions> options,
    TimeProvider clock,
    ILogger<RequestHandler> logger,
    ServiceMetrics? metrics = null)
{
    /// <summary>For handlers made without a container (tests, benchmarks): instruments on a meter of their own.</summary>
    private static readonly Lazy<ServiceMetrics> Unregistered = new(() => new ServiceMetrics(null));

    private readonly FibRpcOptions _options = options.Value;
    private readonly ServiceMetrics _metrics = metrics ?? Unregistered.Value;

    /// <summary>The function's entry: reads the message's properties from the trigger's binding data first.</summary>
    public Task<RequestOutcome> HandleAsync(ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, object?> bindingData, CancellationToken cancellationToken)
    {
        RequestProperties properties;
        try
        {
            properties = BindingDataReader.Read(bindingData);
        }
        catch (FormatException e)
        {
            // Not the JSON the host writes: nothing in it can be trusted, not even reply_to. Throwing would only make
            // the host retry a message that can never be read.
            LogUnreadable(logger, e);
            _metrics.Consumed(_options.RequestQueue);
            var (outcome, errorType) = RequestOutcomeLabels.For(RequestOutcome.Unreadable, errorCode: null);
            _metrics.Handled(_options.RequestQueue, outcome, errorType, TimeSpan.Zero);
            return Task.FromResult(RequestOutcome.Unreadable);
        }

        return HandleAsync(body, properties, cancellationToken);
    }

    /// <summary>
    /// Does once, before the first request, what the first request would otherwise pay for: the reply connection and
    /// a confirm channel, the engine's first computation, and the code of the whole path (parse, compute, reply
    /// properties, confirmed publish). The warm-up message goes to a queue that does not exist, unmandatory, so the
    /// broker confirms and drops it: nobody receives anything.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var properties = new RequestProperties(null, "warm-up", 0, RequestProperties.NoHeaders);
        var (reply, _) = Answer("10"u8.ToArray(), properties, cancellationToken, observed: false);
        try
        {
            await publisher.PublishAsync(WarmUpQueuePrefix + Guid.NewGuid().ToString("N"), mandatory: false,
                ReplyMessage.Properties(reply), reply.Body, cancellationToken).ConfigureAwait(false);
        }
        catch (PublishFailedException e)
        {
            // Not fatal: the first reply will open what the warm-up could not, and say why if it cannot either.
            LogWarmUpFailed(logger, e.Message);
        }
    }

    /// <summary>The names of the (nonexistent) queues the warm-up message is addressed to.</summary>
    public const string WarmUpQueuePrefix = ServiceCollectionExtensions.ApplicationName + ".warm-up.";

    /// <summary>
    /// Handles one request inside a <c>process</c> span that continues the caller's trace (from the request's
    /// <c>traceparent</c>), and counts how it ended.
    /// </summary>
    public async Task<RequestOutcome> HandleAsync(ReadOnlyMemory<byte> body, RequestProperties properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var started = Stopwatch.GetTimestamp();
        var queue = _options.RequestQueue;
        _metrics.Consumed(queue);
        var host = Activity.Current;
        using var activity = ServiceTracing.StartProcess(queue, properties, body.Length);
        if (activity is not null && host is not null && host.TraceId != activity.TraceId)
        {
            // The Functions worker's invocation span is in the host's trace, not the caller's: linked, so either
            // view leads to the other.
            activity.AddLink(new ActivityLink(host.Context));
        }

        try
        {
            var (outcome, errorCode) = await ProcessAsync(body, properties, cancellationToken).ConfigureAwait(false);
            var (label, errorType) = RequestOutcomeLabels.For(outcome, errorCode);
            activity?.SetTag("fibrpc.outcome", label);
            if (errorType is not null)
            {
                ServiceTracing.Fail(activity, errorType);
            }

            _metrics.Handled(queue, label, errorType, Stopwatch.GetElapsedTime(started));
            return outcome;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The trigger retries the request, or dead-letters it when this was its last attempt.
            var label = properties.Attempt >= _options.MaxAttempts ? RequestOutcomeLabels.DeadLettered : RequestOutcomeLabels.Retried;
            var errorType = ErrorType(e);
            activity?.SetTag("fibrpc.outcome", label);
            ServiceTracing.Fail(activity, errorType, e.Message);
            _metrics.Handled(queue, label, errorType, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    private static string ErrorType(Exception e) => e is PublishFailedException publish
        ? publish.Failure switch
        {
            PublishFailure.Nacked => "reply_nacked",
            PublishFailure.TimedOut => "reply_confirm_timeout",
            PublishFailure.ConnectionLost => "connection_lost",
            PublishFailure.Blocked => "broker_blocked",
            PublishFailure.Refused => "reply_refused",
            _ => "reply_failed",
        }
        : e.GetType().FullName ?? "unknown";

    private async Task<(RequestOutcome Outcome, string? ErrorCode)> ProcessAsync(ReadOnlyMemory<byte> body, RequestProperties properties, CancellationToken cancellationToken)
    {
        var replyTo = properties.ReplyTo;
        switch (replyPolicy.Check(replyTo))
        {
            case ReplyToVerdict.Missing:
                LogNoReplyTo(logger, properties.CorrelationId, properties.MessageId);
                return (RequestOutcome.NoReplyTo, null);
            case ReplyToVerdict.Forbidden:
                LogForbiddenReplyTo(logger, replyTo, properties.CorrelationId);
                return (RequestOutcome.ReplyToRefused, null);
            case ReplyToVerdict.NotAllowed:
                LogNotAllowedReplyTo(logger, replyTo, properties.CorrelationId);
                return (RequestOutcome.ReplyToRefused, null);
        }

        if (properties.ExpiresAt is { } expiresAt && clock.GetUtcNow() > expiresAt)
        {
            LogExpired(logger, properties.CorrelationId, expiresAt);
            return (RequestOutcome.Expired, null);
        }

        var (reply, outcome) = Answer(body, properties, cancellationToken);
        var errorCode = reply.Error?.Code;
        ReplyDelivery? delivery;
        PublishFailedException? failure = null;
        using (var send = ServiceTracing.StartReply(replyTo!, properties.CorrelationId, reply.Body.Length))
        {
            var publishing = Stopwatch.GetTimestamp();
            var destination = MessagingAttributes.DestinationTemplate(replyTo!, out _);
            try
            {
                // The reply carries this span's context, the server's, never the request's: the reply is a message
                // the server created.
                delivery = await replies.SendAsync(replyTo!, ReplyMessage.Properties(reply, send), reply.Body, cancellationToken).ConfigureAwait(false);
                var refused = delivery switch
                {
                    ReplyDelivery.Returned => "unroutable",
                    ReplyDelivery.Refused => "refused",
                    _ => null,
                };
                if (refused is not null)
                {
                    ServiceTracing.Fail(send, refused);
                }

                _metrics.ReplyPublished(destination, refused, Stopwatch.GetElapsedTime(publishing));
            }
            catch (PublishFailedException e)
            {
                var errorType = ErrorType(e);
                ServiceTracing.Fail(send, errorType, e.Message);
                _metrics.ReplyPublished(destination, errorType, Stopwatch.GetElapsedTime(publishing));
                if (properties.HostCanCountRequeues)
                {
                    throw;
                }

                delivery = null;
                failure = e;
            }
        }

        if (failure is not null)
        {
            return (await RequeueAsync(body, properties, failure, cancellationToken).ConfigureAwait(false), "reply_failed");
        }

        switch (delivery)
        {
            case ReplyDelivery.Returned:
                LogReplyUnroutable(logger, replyTo, properties.CorrelationId);
                return (RequestOutcome.ReplyUndeliverable, "unroutable");
            case ReplyDelivery.Refused:
                LogReplyRefused(logger, replyTo, properties.CorrelationId);
                return (RequestOutcome.ReplyUndeliverable, "refused");
            default:
                return (outcome, errorCode);
        }
    }

    // observed is false for the warm-up: no span, no measurement and no log line, since nobody made a request.
    private (Reply Reply, RequestOutcome Outcome) Answer(ReadOnlyMemory<byte> body, RequestProperties properties, CancellationToken cancellationToken, bool observed = true)
    {
        if (properties.Attempt > _options.MaxAttempts)
        {
            // Delivered again and again (a quorum queue counts it even when the process died mid-request): this
            // request is not tried once more, and its client hears why.
            LogAttemptsExhausted(logger, properties.CorrelationId, properties.Attempt - 1);
            return (Reply.Failure(properties.CorrelationId, new RpcError(RpcErrorCodes.AttemptsExhausted,
                $"the request failed {properties.Attempt - 1} times; it is not tried again")), RequestOutcome.AttemptsExhausted);
        }

        var request = RequestParser.Parse(body.Span, _options.MaxN, _options.MaxBodyBytes);
        return request.Error is { } error
            ? (Refuse(properties, error), RequestOutcome.Rejected)
            : Compute(request.N, properties, observed, cancellationToken);
    }

    private (Reply, RequestOutcome) Compute(int n, RequestProperties properties, bool observed, CancellationToken cancellationToken)
    {
        try
        {
            var computing = Stopwatch.GetTimestamp();
            using var span = observed ? ServiceTracing.StartCompute(n) : null;
            var digits = engine.ComputeDecimal(n, cancellationToken);
            span?.SetTag("fibrpc.digits", digits.Length);
            if (observed)
            {
                _metrics.Computed(Stopwatch.GetElapsedTime(computing));
                LogAnswered(logger, n, properties.CorrelationId, digits.Length);
            }

            return (Reply.Success(properties.CorrelationId, digits), RequestOutcome.Answered);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of ours, not of the request: retrying would fail the same way, so the client hears it now.
            LogComputeFailed(logger, e, n, properties.CorrelationId);
            return (Refuse(properties, new RpcError(RpcErrorCodes.Internal, "the service failed to compute the answer")), RequestOutcome.Rejected);
        }
    }

    private Reply Refuse(RequestProperties properties, RpcError error)
    {
        LogBadRequest(logger, error.Code, properties.CorrelationId, error.Message);
        return Reply.Failure(properties.CorrelationId, error);
    }

    /// <summary>
    /// The reply could not be published and the Functions host could not count a retry (its requeue header is text,
    /// out of range or negative): put a copy with a clean count back on the request queue, confirmed, and return.
    /// </summary>
    private async Task<RequestOutcome> RequeueAsync(ReadOnlyMemory<byte> body, RequestProperties properties, PublishFailedException failure, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, object?>(properties.Headers, StringComparer.Ordinal)
        {
            // The attempts so far, never more than the limit: a count the host adds 1 to without overflowing.
            [RpcNames.RequeueCountHeader] = Math.Min(properties.Attempt, _options.MaxAttempts),
        };
        var copy = new BasicProperties
        {
            ReplyTo = properties.ReplyTo,
            CorrelationId = properties.CorrelationId,
            MessageId = properties.MessageId,
            Headers = headers,
            Persistent = true,
        };
        try
        {
            await publisher.PublishAsync(_options.RequestQueue, mandatory: false, copy, body, cancellationToken).ConfigureAwait(false);
            LogRequeued(logger, failure, properties.CorrelationId, properties.Attempt);
            return RequestOutcome.Requeued;
        }
        catch (PublishFailedException e)
        {
            LogRequeueFailed(logger, e, properties.CorrelationId);
            return RequestOutcome.Dropped;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request without reply_to dropped (correlation id {CorrelationId}, message id {MessageId}): there is no one to answer")]
    private static partial void LogNoReplyTo(ILogger logger, string? correlationId, string? messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request refused: reply_to '{ReplyTo}' names a queue this service consumes (correlation id {CorrelationId})")]
    private static partial void LogForbiddenReplyTo(ILogger logger, string? replyTo, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request refused: reply_to '{ReplyTo}' is not an allowed reply target (direct reply-to, amq.gen-*, or FibRpc:AllowedReplyQueues / AllowedReplyQueuePrefixes) (correlation id {CorrelationId})")]
    private static partial void LogNotAllowedReplyTo(ILogger logger, string? replyTo, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply to '{ReplyTo}' (correlation id {CorrelationId}) is unroutable: the client's queue is gone; not retried")]
    private static partial void LogReplyUnroutable(ILogger logger, string? replyTo, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reply to '{ReplyTo}' (correlation id {CorrelationId}) was refused by the broker (not a live reply queue, or not permitted); not retried")]
    private static partial void LogReplyRefused(ILogger logger, string? replyTo, string? correlationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "F({N}) answered (correlation id {CorrelationId}, {Digits} digits)")]
    private static partial void LogAnswered(ILogger logger, int n, string? correlationId, int digits);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bad request {Code} (correlation id {CorrelationId}): {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string code, string? correlationId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Computing F({N}) failed (correlation id {CorrelationId})")]
    private static partial void LogComputeFailed(ILogger logger, Exception exception, int n, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request (correlation id {CorrelationId}) already failed {Failures} times: answered with attempts_exhausted instead of another attempt")]
    private static partial void LogAttemptsExhausted(ILogger logger, string? correlationId, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request (correlation id {CorrelationId}) expired at {ExpiresAt:O}: its caller no longer waits; dropped")]
    private static partial void LogExpired(ILogger logger, string? correlationId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up publish failed: {Reason}")]
    private static partial void LogWarmUpFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Binding data unreadable: request dropped")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply failed and the request's requeue header is one the Functions host cannot count with: requeued a copy with a clean count (correlation id {CorrelationId}, attempt {Attempt})")]
    private static partial void LogRequeued(ILogger logger, Exception exception, string? correlationId, int attempt);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Reply and requeue both failed for a request whose requeue header the Functions host cannot count with: dropped rather than stall the host's consumer (correlation id {CorrelationId})")]
    private static partial void LogRequeueFailed(ILogger logger, Exception exception, string? correlationId);
}

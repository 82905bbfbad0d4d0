using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Messaging.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Client;

/// <summary>
/// A client of the RPC service: publishes each request with reply_to, a fresh correlation id and an expiration equal
/// to the time its caller still waits, waits for the broker's confirm, and completes the matching call when the
/// reply arrives. Many calls may be in flight at once on its one connection.
/// </summary>
/// <remarks>
/// The connection recovers automatically, and the first call after a recovery opens a fresh reply path (channel,
/// consumer, and in exclusive mode a new queue). Calls whose reply path is lost fail at once with
/// <see cref="FibRpcReplyLostException"/>; calls made while the connection is down wait for it within their timeout.
/// </remarks>
public sealed class FibRpcClient : IAsyncDisposable
{
    // Confirms tracked by the library, so that each publish completes with the broker's ack, nack or return. No
    // limiter on outstanding confirms: each call has one publish in flight, so the callers bound them already.
    private static readonly CreateChannelOptions ConfirmedChannel = new(
        publisherConfirmationsEnabled: true,
        publisherConfirmationTrackingEnabled: true,
        outstandingPublisherConfirmationsRateLimiter: null);

    private static readonly TimeSpan RecoveryPoll = TimeSpan.FromMilliseconds(250);

    // Below this, a re-sent request could not even be confirmed: the call fails with the loss instead.
    private static readonly TimeSpan MinimumResendTime = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, PendingCall> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ReplyPath, byte> _paths = new();
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _signalLock = new();
    private readonly FibRpcClientOptions _options;
    private readonly IConnection _connection;
    private readonly ILogger _logger;
    private readonly NackRetry _nackRetry;
    private readonly string _idPrefix = Guid.NewGuid().ToString("N")[..12] + "-";
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReplyPath? _current;
    private long _lostAt;
    private long _nextId;
    private long _unmatched;
    private long _pathsOpened;
    private long _nacked;
    private long _resent;
    private int _disposed;

    private FibRpcClient(FibRpcClientOptions options, IConnection connection, ILogger logger)
    {
        _options = options;
        _connection = connection;
        _logger = logger;
        _nackRetry = new NackRetry(options.PublishAttempts);
        _connected.SetResult();
        _connection.ConnectionShutdownAsync += OnConnectionShutdownAsync;
        _connection.RecoverySucceededAsync += OnRecoverySucceededAsync;
    }

    /// <summary>
    /// Replies that matched no call in flight, and were dropped: late ones (their call timed out, was cancelled or lost
    /// its reply path) and duplicates (replies are at least once: a request redelivered after its reply was confirmed
    /// is answered again).
    /// </summary>
    public long UnmatchedReplies => Interlocked.Read(ref _unmatched);

    /// <summary>Reply paths opened so far: 1 at the start, one more after each recovery, lost consumer or nack.</summary>
    public long ReplyPathsOpened => Interlocked.Read(ref _pathsOpened);

    /// <summary>Publishes the broker refused (each then retried on a fresh channel while the call's time allowed).</summary>
    public long NackedPublishes => Interlocked.Read(ref _nacked);

    /// <summary>Calls sent again after their connection or reply path was lost (<see cref="FibRpcClientOptions.ResendOnConnectionLoss"/>).</summary>
    public long ResentCalls => Interlocked.Read(ref _resent);

    /// <summary>Raised before a call is sent again after its connection or reply path was lost (<see cref="FibRpcClientOptions.ResendOnConnectionLoss"/>).</summary>
    public event EventHandler<FibRpcCallResentEventArgs>? CallResent;

    /// <summary>Whether the connection to the broker is up right now (it recovers by itself when it is not).</summary>
    public bool IsConnected => _connection.IsOpen;

    /// <summary>The reply_to of the current reply path, or null while there is none: for tests and diagnostics.</summary>
    internal string? ReplyTo => Volatile.Read(ref _current)?.Address;

    public static Task<FibRpcClient> ConnectAsync(FibRpcClientOptions options, CancellationToken cancellationToken = default) =>
        ConnectAsync(options, logger: null, cancellationToken);

    /// <summary>Connects and opens the first reply path; <paramref name="logger"/> receives connection losses, recoveries, lost reply paths and nacks.</summary>
    /// <exception cref="FibRpcConnectFailedException">
    /// The broker could not be reached, refused the login or the virtual host, failed TLS, or the URI or CA file
    /// cannot be used; the inner exception says which.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A timeout or attempt count the client cannot keep.</exception>
    public static async Task<FibRpcClient> ConnectAsync(FibRpcClientOptions options, ILogger<FibRpcClient>? logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PublishAttempts, 1);
        FibRpcClientOptions.CheckTimeout(options.Timeout, nameof(options.Timeout));
        FibRpcClient? client = null;
        try
        {
            var connection = await RabbitConnection.CreateFactory(options.Connection, options.ClientName, options.CaFile, recoverTopology: false)
                .CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
            client = new FibRpcClient(options, connection, logger ?? (ILogger)NullLogger.Instance);
            Volatile.Write(ref client._current, await client.OpenPathAsync(cancellationToken).ConfigureAwait(false));
            return client;
        }
        catch (Exception e)
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            if (IsConnectFailure(e, cancellationToken))
            {
                throw ConnectFailed(options, e);
            }

            throw;
        }
    }

    /// <summary>What connecting can fail with, short of a bug; the caller's cancellation stays itself.</summary>
    private static bool IsConnectFailure(Exception e, CancellationToken cancellationToken) =>
        e is BrokerUriException or BrokerCaFileException or BrokerUnreachableException or AuthenticationFailureException
            or OperationInterruptedException or IOException or System.Security.Authentication.AuthenticationException or TimeoutException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static FibRpcConnectFailedException ConnectFailed(FibRpcClientOptions options, Exception cause) =>
        new($"could not connect to the broker at {BrokerUri.Redact(options.Connection)}: {BrokerUri.Scrub(cause.Message, options.Connection)}", cause);

    /// <summary>Calls the service for F(n) and returns its decimal text.</summary>
    /// <exception cref="FibRpcErrorReplyException">The service answered with an error reply.</exception>
    /// <exception cref="FibRpcTimeoutException">No confirm or no reply within the timeout.</exception>
    /// <exception cref="FibRpcUnroutableException">The request queue does not exist.</exception>
    /// <exception cref="FibRpcReplyLostException">The reply path broke after the request was sent.</exception>
    /// <exception cref="FibRpcConnectionLostException">The connection closed while the request was being sent.</exception>
    /// <exception cref="FibRpcConnectFailedException">The connection was down and did not come back within the timeout.</exception>
    /// <exception cref="FibRpcNackedException">The broker refused the request (<see cref="FibRpcOverloadedException"/>: on fresh channels too).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled the call.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed, or was disposed while the call was in flight.</exception>
    public async Task<string> CallAsync(long n, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var reply = await CallRawAsync(Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture)), timeout, cancellationToken).ConfigureAwait(false);
        return Encoding.ASCII.GetString(reply.Span);
    }

    /// <summary>Sends any request body (also malformed ones) and returns the success reply's body.</summary>
    /// <inheritdoc cref="CallAsync" path="/exception"/>
    /// <remarks>
    /// With <see cref="FibRpcClientOptions.ResendOnConnectionLoss"/>, a request whose connection or reply path was
    /// lost is sent again (under a new correlation id) for as long as the call's timeout allows, and
    /// <see cref="CallResent"/> tells who listens; the two exceptions for those cases then only come when no time is left.
    /// </remarks>
    public async Task<ReadOnlyMemory<byte>> CallRawAsync(ReadOnlyMemory<byte> body, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var limit = timeout ?? _options.Timeout;
        FibRpcClientOptions.CheckTimeout(limit, timeout is null ? nameof(FibRpcClientOptions.Timeout) : nameof(timeout));
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return await CallOnceAsync(body, limit, started, cancellationToken).ConfigureAwait(false);
            }
            catch (FibRpcCallLostException e) when (_options.ResendOnConnectionLoss && limit - Stopwatch.GetElapsedTime(started) > MinimumResendTime
                && !cancellationToken.IsCancellationRequested && Volatile.Read(ref _disposed) == 0)
            {
                // F(n) never changes, so a second request is harmless; the next attempt waits for the reconnection.
                // Told before counted: a listener that opens an outage on the event then counts this re-send in it.
                ClientLog.CallResent(_logger, e.Message);
                CallResent?.Invoke(this, new FibRpcCallResentEventArgs(body, e));
                Interlocked.Increment(ref _resent);
            }
        }
    }

    /// <summary>One request and its reply, within what is left of <paramref name="limit"/> since <paramref name="started"/>.</summary>
    private async Task<ReadOnlyMemory<byte>> CallOnceAsync(ReadOnlyMemory<byte> body, TimeSpan limit, long started, CancellationToken cancellationToken)
    {
        var correlationId = _idPrefix + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var call = new PendingCall();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var remaining = limit - Stopwatch.GetElapsedTime(started);
        if (remaining <= TimeSpan.Zero)
        {
            throw new FibRpcTimeoutException($"no time left to send request {correlationId} to '{_options.RequestQueue}' within {limit.TotalSeconds:0.###} s", limit, requestConfirmed: false);
        }

        deadline.CancelAfter(remaining);
        using var activity = ClientInstrumentation.StartCall(_options.RequestQueue, correlationId, body.Length);
        Exception? failure = null;
        ReplyPath? path = null;

        // Registered only here, where the finally below removes it: a call with no time left never leaks an entry.
        _pending[correlationId] = call;
        try
        {
            path = await PublishAsync(correlationId, body, activity, limit, started, deadline.Token, cancellationToken).ConfigureAwait(false);

            // Set only once the request is confirmed, then checked: a path lost in between fails the call here.
            Volatile.Write(ref call.Path, path);
            if (path.LostReason is { } lost)
            {
                call.Reply.TrySetException(new FibRpcReplyLostException(correlationId, lost));
            }

            try
            {
                return await call.Reply.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_disposing.IsCancellationRequested)
            {
                throw new FibRpcTimeoutException($"no reply to request {correlationId} on '{_options.RequestQueue}' within {limit.TotalSeconds:0.###} s: is the service running?", limit, requestConfirmed: true);
            }
            finally
            {
                // A reply that arrived (answer or error reply) is the server's own message: a link, not a parent.
                if (activity is not null && call.ReplyContext != default)
                {
                    activity.AddLink(new ActivityLink(call.ReplyContext));
                }
            }
        }
        catch (OperationCanceledException e) when (_disposing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            failure = new ObjectDisposedException($"the client was disposed while request {correlationId} was in flight", e);
            throw failure;
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            _pending.TryRemove(correlationId, out _);
            path?.Leave();
            ClientInstrumentation.Completed(activity, _options.RequestQueue, started, failure);
        }
    }

    /// <summary>Publishes on the current path until the broker confirms; returns that path, entered.</summary>
    private async Task<ReplyPath> PublishAsync(string correlationId, ReadOnlyMemory<byte> body, Activity? call, TimeSpan limit, long started, CancellationToken deadline, CancellationToken callerCancels)
    {
        var attempts = 0;
        try
        {
            return await _nackRetry.ExecuteAsync(
                _ => new ValueTask<ReplyPath>(PublishOnceAsync(correlationId, body, call, limit, started, ++attempts, deadline, callerCancels)),
                started, limit, deadline).ConfigureAwait(false);
        }
        catch (PublishException)
        {
            // Nacked, with no attempt or no time left for another.
            throw Refused();
        }
        catch (OperationCanceledException) when (!callerCancels.IsCancellationRequested && !_disposing.IsCancellationRequested)
        {
            // The call's time ran out between attempts, while waiting after a nack (or before the first attempt).
            throw attempts == 0 ? ConfirmTimedOut(correlationId, limit) : Refused();
        }

        FibRpcException Refused() =>
            attempts > 1 ? new FibRpcOverloadedException(_options.RequestQueue, attempts) : new FibRpcNackedException(_options.RequestQueue, attempts);
    }

    /// <summary>One publish of the request on the current path; a nack retires the path and is thrown on to <see cref="NackRetry"/>.</summary>
    private async Task<ReplyPath> PublishOnceAsync(string correlationId, ReadOnlyMemory<byte> body, Activity? call, TimeSpan limit, long started, int attempt, CancellationToken deadline, CancellationToken callerCancels)
    {
        var path = await EnterPathAsync(limit, deadline, callerCancels).ConfigureAwait(false);
        var properties = new BasicProperties
        {
            CorrelationId = correlationId,
            ReplyTo = path.Address,
            Expiration = RequestExpiration.For(limit - Stopwatch.GetElapsedTime(started)),
            // With the expiration, tells the service when the caller stops waiting (it skips such work).
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            // A confirmed request survives a broker restart in the durable request queue.
            Persistent = true,
        };
        if (call is not null)
        {
            // The service's span becomes a child of this call's span.
            properties.Headers = new Dictionary<string, object?>(2, StringComparer.Ordinal);
            TraceContextHeaders.Inject(call, properties.Headers);
        }

        try
        {
            // Mandatory: if the request queue is missing the broker returns the request instead of dropping it.
            await path.Channel.BasicPublishAsync(string.Empty, _options.RequestQueue, mandatory: true, properties, body, deadline).ConfigureAwait(false);
            ClientInstrumentation.Sent(_options.RequestQueue, errorType: null);
            return path;
        }
        catch (PublishException e) when (e.IsReturn)
        {
            path.Leave();
            ClientInstrumentation.Sent(_options.RequestQueue, "unroutable");
            throw new FibRpcUnroutableException(_options.RequestQueue);
        }
        catch (PublishException)
        {
            ClientInstrumentation.Sent(_options.RequestQueue, "nacked");
            // A nack: the channel may be the culprit (RabbitMQ 3.10 can nack every publish on a channel that
            // reconnected while a quorum queue elected a new leader), so this path takes no more calls.
            Interlocked.Increment(ref _nacked);
            ClientLog.PublishNacked(_logger, correlationId, path.Number, attempt, _options.PublishAttempts);
            Interlocked.CompareExchange(ref _current, null, path);
            path.Retire();
            path.Leave();
            throw;
        }
        catch (OperationCanceledException) when (!callerCancels.IsCancellationRequested && !_disposing.IsCancellationRequested)
        {
            path.Leave();
            throw ConfirmTimedOut(correlationId, limit);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            // The path is broken whatever it still says about itself: the next call must not pick it again.
            OnPathLost(path, e.Message);
            path.Leave();
            throw new FibRpcConnectionLostException($"the connection to the broker closed while request {correlationId} was being sent ({e.Message}); whether the broker took it is unknown: call again", e);
        }
    }

    private FibRpcTimeoutException ConfirmTimedOut(string correlationId, TimeSpan limit) =>
        new($"the broker did not confirm request {correlationId} to '{_options.RequestQueue}' within {limit.TotalSeconds:0.###} s: is it overloaded, or blocked by a resource alarm?", limit, requestConfirmed: false);

    /// <summary>The current reply path, entered; opens one when there is none, waits for the connection when it is down.</summary>
    private async Task<ReplyPath> EnterPathAsync(TimeSpan limit, CancellationToken deadline, CancellationToken callerCancels)
    {
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _current) is { IsLive: true } live && live.TryEnter())
                {
                    return live;
                }

                Task connected;
                lock (_signalLock)
                {
                    connected = _connected.Task;
                }

                if (_connection.IsOpen)
                {
                    await _openGate.WaitAsync(deadline).ConfigureAwait(false);
                    try
                    {
                        if (Volatile.Read(ref _current) is not { IsLive: true })
                        {
                            Volatile.Write(ref _current, await OpenPathAsync(deadline).ConfigureAwait(false));
                        }

                        continue;
                    }
                    catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or TimeoutException && !deadline.IsCancellationRequested)
                    {
                        // The connection went down, or the broker is starting or stopping, while the path was being
                        // opened: wait for the recovery below, then try again (all within the call's timeout).
                        ClientLog.ReplyPathNotOpened(_logger, e.Message);
                        await Task.Delay(RecoveryPoll / 5, deadline).ConfigureAwait(false);
                    }
                    finally
                    {
                        _openGate.Release();
                    }
                }

                if (connected.IsCompleted)
                {
                    // Down, but the shutdown has not been signalled yet: look again shortly.
                    await Task.Delay(25, deadline).ConfigureAwait(false);
                }
                else
                {
                    await Task.WhenAny(connected, Task.Delay(RecoveryPoll, deadline)).ConfigureAwait(false);
                    deadline.ThrowIfCancellationRequested();
                }
            }
        }
        catch (OperationCanceledException e) when (!callerCancels.IsCancellationRequested && !_disposing.IsCancellationRequested)
        {
            if (_connection.IsOpen)
            {
                throw new FibRpcTimeoutException($"could not open a reply channel to the broker within {limit.TotalSeconds:0.###} s", limit, requestConfirmed: false, e);
            }

            throw new FibRpcConnectFailedException($"no connection to the broker within the call's {limit.TotalSeconds:0.###} s timeout; the client keeps trying to reconnect", e);
        }
    }

    /// <summary>A new channel with confirms, its reply address, and a consumer on it.</summary>
    private async Task<ReplyPath> OpenPathAsync(CancellationToken cancellationToken)
    {
        var channel = await _connection.CreateChannelAsync(ConfirmedChannel, cancellationToken).ConfigureAwait(false);
        try
        {
            var address = RpcNames.DirectReplyTo;
            if (_options.ReplyQueue == ReplyQueueMode.ExclusiveQueue)
            {
                // Declared by this client on every new path: a fresh server-named queue, never one restored by recovery.
                var declared = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                address = declared.QueueName;
            }

            var path = new ReplyPath(channel, address, Interlocked.Increment(ref _pathsOpened), closed => _paths.TryRemove(closed, out _));
            var consumer = new ReplyConsumer(channel, OnReply, reason => OnPathLost(path, reason));

            // Direct reply-to requires no-ack consumption on the channel that publishes the requests.
            await channel.BasicConsumeAsync(address, autoAck: true, consumer, cancellationToken).ConfigureAwait(false);
            _paths[path] = 0;
            ClientLog.ReplyPathOpened(_logger, path.Number, address);
            return path;
        }
        catch
        {
            await new ReplyPath(channel, string.Empty, 0, static _ => { }).CloseNowAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void OnReply(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var correlationId = properties.CorrelationId;
        if (correlationId is null || !_pending.TryGetValue(correlationId, out var call))
        {
            Interlocked.Increment(ref _unmatched);
            return;
        }

        var headers = properties.Headers is { Count: > 0 } raw ? HeadersAsText(raw) : null;
        if (headers is not null)
        {
            call.ReplyContext = TraceContextHeaders.Extract(headers);
        }

        if (properties.Type == RpcNames.ErrorReplyType)
        {
            var code = headers?.GetValueOrDefault(RpcNames.ErrorCodeHeader)?.ToString();
            call.Reply.TrySetException(new FibRpcErrorReplyException(code ?? "unknown", Encoding.UTF8.GetString(body.Span)));
        }
        else
        {
            // The delivery's body is only valid during this callback.
            call.Reply.TrySetResult(body.ToArray());
        }
    }

    /// <summary>The headers with long strings (bytes on the wire) as text.</summary>
    private static Dictionary<string, object?> HeadersAsText(IDictionary<string, object?> headers) =>
        headers.ToDictionary(header => header.Key, header => header.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header.Value, StringComparer.Ordinal);

    /// <summary>A path broke: no new calls on it, and the calls waiting on it fail now rather than at their timeout.</summary>
    private void OnPathLost(ReplyPath path, string reason)
    {
        path.MarkLost(reason);
        Interlocked.CompareExchange(ref _current, null, path);
        var first = path.Retire();
        var failed = 0;
        foreach (var (id, call) in _pending)
        {
            if (ReferenceEquals(Volatile.Read(ref call.Path), path) && call.Reply.TrySetException(new FibRpcReplyLostException(id, reason)))
            {
                failed++;
            }
        }

        if (!path.IsClosing && (first || failed > 0))
        {
            ClientLog.ReplyPathLost(_logger, path.Number, path.Address, reason);
        }
    }

    private Task OnConnectionShutdownAsync(object sender, ShutdownEventArgs reason)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return Task.CompletedTask;
        }

        lock (_signalLock)
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        Interlocked.CompareExchange(ref _lostAt, Stopwatch.GetTimestamp(), 0);
        var why = ReplyConsumer.Describe(reason);
        var waiting = _pending.Values.Count(call => Volatile.Read(ref call.Path) is not null);
        ClientLog.ConnectionLost(_logger, why, waiting);
        foreach (var path in _paths.Keys)
        {
            OnPathLost(path, why);
        }

        return Task.CompletedTask;
    }

    private Task OnRecoverySucceededAsync(object sender, AsyncEventArgs args)
    {
        var lostAt = Interlocked.Exchange(ref _lostAt, 0);
        lock (_signalLock)
        {
            _connected.TrySetResult();
        }

        ClientLog.ConnectionRecovered(_logger, lostAt == 0 ? 0 : Stopwatch.GetElapsedTime(lostAt).TotalSeconds);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        _connection.ConnectionShutdownAsync -= OnConnectionShutdownAsync;
        _connection.RecoverySucceededAsync -= OnRecoverySucceededAsync;
        try
        {
            await _connection.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlreadyClosedException or IOException or OperationCanceledException or TimeoutException)
        {
            // Already gone; nothing to release but the objects.
        }

        foreach (var path in _paths.Keys)
        {
            await path.CloseNowAsync().ConfigureAwait(false);
        }

        _connection.Dispose();
        _openGate.Dispose();
        _disposing.Dispose();
    }
}

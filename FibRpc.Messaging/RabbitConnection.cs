using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.Messaging;

/// <summary>
/// One long-lived RabbitMQ connection, opened on first use with automatic recovery; a failed attempt is not cached, so
/// a broker that comes up late is picked up without a restart. Publishers may wait, with a bound, for a block to lift.
/// </summary>
public sealed partial class RabbitConnection(string uri, string clientName, ILogger<RabbitConnection> logger, string? caFile = null) : IAsyncDisposable
{
    /// <summary>How long automatic recovery waits between attempts: short, as each attempt is only one TCP connect.</summary>
    public static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private TaskCompletionSource? _unblocked;
    private bool _disposed;

    public string Uri { get; } = uri;

    /// <summary>The CA file the broker's TLS certificate is verified against; null for the system store.</summary>
    public string? CaFile { get; } = caFile;

    public async ValueTask<IConnection> GetAsync(CancellationToken cancellationToken = default)
    {
        var connection = Volatile.Read(ref _connection);
        if (connection is not null)
        {
            return connection;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is null)
            {
                var factory = CreateFactory(Uri, clientName, CaFile);
                var opened = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
                opened.ConnectionBlockedAsync += OnBlockedAsync;
                opened.ConnectionUnblockedAsync += OnUnblockedAsync;
                opened.ConnectionShutdownAsync += OnShutdownAsync;
                opened.RecoverySucceededAsync += OnRecoveredAsync;
                LogConnected(logger, BrokerUri.Redact(Uri), clientName);
                Volatile.Write(ref _connection, opened);
            }

            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Returns at once unless the broker blocks this connection; then waits for the block to lift, at most <paramref name="bound"/>.</summary>
    /// <exception cref="PublishFailedException">Still blocked after <paramref name="bound"/> (<see cref="PublishFailure.Blocked"/>).</exception>
    public async ValueTask WaitUntilUnblockedAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _unblocked) is not { } unblocked)
        {
            return;
        }

        try
        {
            await unblocked.Task.WaitAsync(bound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new PublishFailedException(PublishFailure.Blocked,
                $"the broker has blocked publishing on connection '{clientName}' for longer than {bound.TotalSeconds:0.#} s (a memory or disk alarm)", e);
        }
    }

    /// <summary>
    /// The connection settings used everywhere in the project, so that client and server behave alike. TLS follows
    /// the URI: <c>amqps://</c> verifies the broker's certificate and host name, against the system store or against
    /// <paramref name="caFile"/> (a private CA). <paramref name="uri"/> may list a cluster's nodes (<see cref="BrokerEndpoints"/>).
    /// The RPC client turns <paramref name="recoverTopology"/> off: it opens its own reply path after a recovery, as a
    /// restored server-named reply queue would come back under a new name that requests in flight do not know.
    /// </summary>
    /// <exception cref="BrokerUriException">A URI does not parse, the URIs of a list disagree, or a CA file is given for a plain <c>amqp://</c> URI.</exception>
    /// <exception cref="BrokerCaFileException">The CA file cannot be read.</exception>
    public static ConnectionFactory CreateFactory(string uri, string clientName, string? caFile = null, bool recoverTopology = true)
    {
        var nodes = BrokerEndpoints.Parse(uri);
        var parsed = nodes[0];

        var factory = new ConnectionFactory
        {
            Uri = parsed,
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = recoverTopology,
            NetworkRecoveryInterval = RecoveryInterval,
            RequestedHeartbeat = TimeSpan.FromSeconds(30),
        };

        var tls = parsed.Scheme == "amqps";
        Func<string, SslOption> sslFor = _ => new SslOption { Enabled = false };
        if (!string.IsNullOrWhiteSpace(caFile) && !tls)
        {
            // A CA file says "this broker is verified"; silently talking plain AMQP would betray that.
            throw new BrokerUriException($"a CA file ('{caFile}') is set but the broker URI '{BrokerUri.Redact(uri)}' is not amqps://");
        }

        if (tls)
        {
            var validate = string.IsNullOrWhiteSpace(caFile) ? null : new System.Net.Security.RemoteCertificateValidationCallback(BrokerCertificateValidator.FromFile(caFile).Validate);
            // Each node is verified under its own host name: by the platform's default validation, or by the CA
            // file's validator.
            sslFor = host => new SslOption
            {
                Enabled = true,
                ServerName = host,
                AcceptablePolicyErrors = System.Net.Security.SslPolicyErrors.None,
                CertificateValidationCallback = validate,
            };
            factory.Ssl = sslFor(parsed.Host);
        }

        if (nodes.Count > 1)
        {
            // CreateConnectionAsync without endpoints asks this for them, and so does automatic recovery: every
            // caller of the factory gets the whole list without knowing of it. The default resolver shuffles.
            var endpoints = nodes.Select(node => new AmqpTcpEndpoint(node.Host, node.Port, sslFor(node.Host))).ToList();
            factory.EndpointResolverFactory = _ => new DefaultEndpointResolver(endpoints);
        }

        return factory;
    }

    private Task OnBlockedAsync(object sender, ConnectionBlockedEventArgs blocked)
    {
        Interlocked.CompareExchange(ref _unblocked, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
        LogBlocked(logger, clientName, blocked.Reason);
        return Task.CompletedTask;
    }

    private Task OnUnblockedAsync(object sender, AsyncEventArgs unblocked)
    {
        Lift();
        LogUnblocked(logger, clientName);
        return Task.CompletedTask;
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs reason)
    {
        // A blocked connection that goes down is not blocked any more; the broker says so again after recovery.
        Lift();
        LogShutdown(logger, clientName, reason.Initiator, reason.ReplyCode, reason.ReplyText);
        return Task.CompletedTask;
    }

    private Task OnRecoveredAsync(object sender, AsyncEventArgs recovered)
    {
        LogRecovered(logger, clientName);
        return Task.CompletedTask;
    }

    private void Lift() => Interlocked.Exchange(ref _unblocked, null)?.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_connection is { } connection)
            {
                connection.ConnectionShutdownAsync -= OnShutdownAsync;
                try
                {
                    await connection.CloseAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or RabbitMQ.Client.Exceptions.AlreadyClosedException or OperationCanceledException)
                {
                    // Closing a connection that is already gone: nothing more to release than the object.
                }

                connection.Dispose();
                _connection = null;
            }

            Lift();
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Endpoint} as {ClientName}")]
    private static partial void LogConnected(ILogger logger, string endpoint, string clientName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ blocks publishing on connection {ClientName}: {Reason}")]
    private static partial void LogBlocked(ILogger logger, string clientName, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ lifted the block on connection {ClientName}")]
    private static partial void LogUnblocked(ILogger logger, string clientName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ClientName} went down ({Initiator}, {ReplyCode} {ReplyText}); recovering")]
    private static partial void LogShutdown(ILogger logger, string clientName, ShutdownInitiator initiator, ushort replyCode, string replyText);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ClientName} recovered")]
    private static partial void LogRecovered(ILogger logger, string clientName);
}

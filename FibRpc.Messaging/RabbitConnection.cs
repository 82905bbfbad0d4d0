using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace FibRpc.Messaging;

/// <summary>
/// The process's one long-lived RabbitMQ connection, opened on first use with automatic recovery. A failed attempt
/// is not cached: the next caller tries again, so a broker that comes up late is picked up without a restart.
/// </summary>
public sealed partial class RabbitConnection(string uri, string clientName, ILogger<RabbitConnection> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private bool _disposed;

    public string Uri { get; } = uri;

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
                var factory = CreateFactory(Uri, clientName);
                var opened = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
                LogConnected(logger, factory.Endpoint.ToString(), clientName);
                Volatile.Write(ref _connection, opened);
            }

            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>How long automatic recovery waits before each attempt to reconnect.</summary>
    /// <remarks>
    /// One second: a refused attempt costs a round trip on a closed port, so trying often is cheap, and it bounds
    /// how long after the broker is back that client and service notice (at most one interval plus the handshake).
    /// </remarks>
    public static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);

    /// <summary>The connection settings used everywhere in the project, so that client and server behave alike.</summary>
    /// <param name="uri">AMQP URI of the broker.</param>
    /// <param name="clientName">Name shown for the connection by the broker.</param>
    /// <param name="recoverTopology">
    /// Whether automatic recovery also re-declares the queues and consumers this connection declared. The service
    /// wants that (its consumer on the request queue); the RPC client turns it off because it opens its own reply
    /// path after a recovery: a server-named reply queue would come back under a new name that requests in flight
    /// do not know, and the old consumer would be restored on it for nothing.
    /// </param>
    public static ConnectionFactory CreateFactory(string uri, string clientName, bool recoverTopology = true) => new()
    {
        Uri = new Uri(uri),
        ClientProvidedName = clientName,
        AutomaticRecoveryEnabled = true,
        TopologyRecoveryEnabled = recoverTopology,
        NetworkRecoveryInterval = RecoveryInterval,
        RequestedHeartbeat = TimeSpan.FromSeconds(30),
    };

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
                await connection.CloseAsync().ConfigureAwait(false);
                connection.Dispose();
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Endpoint} as {ClientName}")]
    private static partial void LogConnected(ILogger logger, string endpoint, string clientName);
}

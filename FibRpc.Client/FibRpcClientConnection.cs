using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FibRpc.Client;

/// <summary>
/// The registered client's connection: opened once, as the host starts, and closed when the container is disposed.
/// A failed attempt is not kept: the next resolution tries again.
/// </summary>
internal sealed class FibRpcClientConnection(IOptions<FibRpcClientOptions> options, ILogger<FibRpcClient> logger) : IHostedService, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private Task<FibRpcClient>? _connecting;
    private bool _disposed;

    /// <summary>The connected client; the first call connects.</summary>
    public Task<FibRpcClient> ConnectAsync()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = FibRpcClient.ConnectAsync(options.Value, logger);
            }

            return _connecting;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => ConnectAsync().WaitAsync(cancellationToken);

    // The client stays usable while the other hosted services stop; the container's disposal closes it.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        Task<FibRpcClient>? connecting;
        lock (_lock)
        {
            _disposed = true;
            connecting = _connecting;
        }

        if (connecting is null)
        {
            return;
        }

        try
        {
            // A connection still being opened is closed once it is.
            await (await connecting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is FibRpcConnectFailedException or ArgumentException)
        {
            // Never connected: nothing to close. The failure was reported to whoever asked for the client.
        }
    }
}

using Microsoft.Extensions.Hosting;

namespace FibRpc.TriggerHost;

/// <summary>Runs the <see cref="LocalTriggerHost"/> for the lifetime of a generic host (fibrpc serve).</summary>
public sealed class LocalTriggerHostedService(LocalTriggerHost host) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => host.StartAsync(cancellationToken);

    // The host's shutdown timeout bounds how long the request in flight may take to finish.
    public Task StopAsync(CancellationToken cancellationToken) => host.StopAsync(cancellationToken);
}

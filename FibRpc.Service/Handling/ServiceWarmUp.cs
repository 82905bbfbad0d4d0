using System.Diagnostics;
using FibRpc.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FibRpc.Service.Handling;

/// <summary>
/// Runs <see cref="RequestService.WarmUpAsync"/> once per process, whoever asks first: the function's worker at start
/// (as a hosted service, in the background, so the worker's start is not delayed) or the local trigger host before it
/// consumes. A request that arrives meanwhile does not wait for it: it shares whatever the warm-up has opened already
/// (the reply connection is opened once, by whichever asks first) and opens the rest itself.
/// </summary>
public sealed partial class ServiceWarmUp(RequestService service, ILogger<ServiceWarmUp> logger) : IHostedService
{
    private readonly Lock _gate = new();
    private Task? _warming;

    /// <summary>How long the warm-up took, once done; for the first-reply benchmark and the log.</summary>
    public TimeSpan? Elapsed { get; private set; }

    /// <summary>Starts the warm-up unless it has started; completes when it is done. Never throws: a warm-up that fails only costs the first request its time.</summary>
    public Task WarmUpAsync()
    {
        lock (_gate)
        {
            return _warming ??= RunAsync();
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        _ = WarmUpAsync();
        return Task.CompletedTask;
    }

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RunAsync()
    {
        await Task.Yield();
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await service.WarmUpAsync(bound.Token).ConfigureAwait(false);
            Elapsed = Stopwatch.GetElapsedTime(started);
            LogWarmedUp(logger, Elapsed.Value.TotalMilliseconds);
        }
        catch (PublishFailedException e) when (e.Failure == PublishFailure.ConnectionLost)
        {
            // No broker yet: the host's own connection says so in its words; a second line here would only repeat it.
            LogWarmUpWithoutBroker(logger, e.Message);
        }
        catch (Exception e)
        {
            // Not fatal: the first reply opens what the warm-up could not, and says why if it cannot either.
            LogWarmUpFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up in {Milliseconds:0.0} ms: reply connection, confirm channel, engine and reply path")]
    private static partial void LogWarmedUp(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warm-up skipped, no connection to the broker: {Reason}")]
    private static partial void LogWarmUpWithoutBroker(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up failed: {Reason}")]
    private static partial void LogWarmUpFailed(ILogger logger, string reason);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FibRpc.Client;

namespace FibRpc.Cli.Bench;

/// <summary>One request/reply round trip: the RPC client's raw call, or a stand-in in tests.</summary>
public delegate Task<ReadOnlyMemory<byte>> RpcCall(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

/// <summary>
/// Keeps <see cref="BenchSettings.Concurrency"/> calls in flight (closed loop: each worker sends its next request
/// when the previous reply arrives), first for the warm-up, then for the measured phase, and checks every reply.
/// </summary>
/// <remarks>
/// A call that fails without a reply is counted by kind and the worker goes on: while the broker is away the client
/// makes the next call wait for the reconnection, and sends a call whose connection was lost again, so a restart
/// shows up as an outage in the result instead of ending the run. Only a failure no retry can mend (no such queue)
/// stops every worker.
/// </remarks>
public sealed class LoadLoop(RpcCall call, BenchSettings settings, ReplyVerifier verifier, Func<long>? retriesSoFar = null)
{
    // Each n's request body, encoded once: the loop should measure the service, not string formatting.
    private readonly ConcurrentDictionary<int, ReadOnlyMemory<byte>> _bodies = new();
    private PhaseTally? _current;

    /// <summary>The phase running now, for the progress display.</summary>
    public PhaseTally? Current => Volatile.Read(ref _current);

    public async Task<(PhaseTally Warmup, PhaseTally Measured, TimeSpan Cpu)> RunAsync(CancellationToken cancellationToken)
    {
        // Warm-up: bounded by time only, so that JIT, connections and caches on both sides settle.
        var warmup = await RunPhaseAsync(new PhaseTally("warm-up", BenchSettings.DefaultRequestLimit, settings.Warmup, retriesSoFar), cancellationToken).ConfigureAwait(false);

        var cpuBefore = Environment.CpuUsage.TotalTime;
        var measured = await RunPhaseAsync(new PhaseTally("measure", settings.Requests, settings.Duration, retriesSoFar), cancellationToken).ConfigureAwait(false);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        return (warmup, measured, cpu);
    }

    public async Task<PhaseTally> RunPhaseAsync(PhaseTally tally, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _current, tally);
        if (tally.TimeLimit <= TimeSpan.Zero || tally.RequestLimit <= 0)
        {
            tally.Finish();
            return tally;
        }

        // A fatal failure in one worker (queue missing) stops all of them.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = new Task[settings.Concurrency];
        for (var i = 0; i < workers.Length; i++)
        {
            var random = new Random(settings.Seed + i);
            workers[i] = Task.Run(() => WorkAsync(tally, random, stop), CancellationToken.None);
        }

        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            tally.Finish();
        }

        return tally;
    }

    private async Task WorkAsync(PhaseTally tally, Random random, CancellationTokenSource stop)
    {
        while (!stop.IsCancellationRequested && tally.TryStartRequest())
        {
            var n = settings.Workload.Next(random);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var body = _bodies.GetOrAdd(n, static key => Encoding.ASCII.GetBytes(key.ToString(CultureInfo.InvariantCulture)));
                var reply = await call(body, stop.Token).ConfigureAwait(false);
                var latency = Stopwatch.GetElapsedTime(started);
                if (verifier.IsCorrect(n, reply.Span))
                {
                    tally.RecordCorrect(latency);
                }
                else
                {
                    tally.RecordWrong(latency);
                }
            }
            catch (FibRpcErrorReplyException)
            {
                tally.RecordError(Stopwatch.GetElapsedTime(started));
            }
            catch (Exception e) when (KindOf(e) is { } kind)
            {
                tally.RecordFailure(kind);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Why a call got no reply, for the failures a worker counts and goes on from; null for any other.</summary>
    private static FailureKind? KindOf(Exception e) => e switch
    {
        FibRpcTimeoutException => FailureKind.Timeout,
        FibRpcReplyLostException => FailureKind.ReplyLost,
        FibRpcConnectionLostException or FibRpcConnectFailedException => FailureKind.ConnectionLost,
        FibRpcOverloadedException => FailureKind.Overloaded,
        FibRpcNackedException => FailureKind.Nacked,
        _ => null,
    };
}

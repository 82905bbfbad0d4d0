using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.TriggerHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FibRpc.Benchmarks.HotPath;

/// <summary>
/// <c>probe --queue Q [--warmup-requests W] [--requests N] [--connection URI]</c>: runs the serve stack in-process
/// (the same objects `fibrpc serve` wires: connection, confirmed publisher, handler, local trigger host at prefetch 1)
/// and, while an outside load generator (`fibrpc bench`) drives it, reports what each request costs this process:
/// bytes allocated (GC.GetTotalAllocatedBytes, precise) and CPU time (Environment.CpuUsage), counted over N
/// requests after W warm-up requests. Logging is off, as it is on the hot path of serve at its default level.
/// </summary>
internal static class ServeProbe
{
    public static Command Create()
    {
        var queue = BenchOptions.With("--queue", "bench_probe_queue", "The request queue to consume (declared, e.g. by fibrpc topology)");
        var warmupRequests = BenchOptions.With("--warmup-requests", 5_000L, "Requests handled before the count starts").AtLeast(0);
        var requests = BenchOptions.With("--requests", 20_000L, "Requests counted").AtLeast(1);
        var connection = BenchOptions.Connection();
        var command = new Command("probe", "The serve stack in-process at prefetch 1: bytes allocated and CPU per request while fibrpc bench drives it from outside.")
        {
            queue, warmupRequests, requests, connection,
        };
        command.SetAction(parseResult => RunAsync(parseResult.GetValue(queue)!, parseResult.Broker(connection), parseResult.GetValue(warmupRequests), parseResult.GetValue(requests)));
        return command;
    }

    private static async Task<int> RunAsync(string queue, string uri, long warmupRequests, long requests)
    {
        // Wired exactly as fibrpc serve wires it, with logging off.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [RpcNames.ConnectionSetting] = uri,
            [$"{FibRpcOptions.SectionName}:{nameof(FibRpcOptions.RequestQueue)}"] = queue,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddFibRpc(configuration).AddFibRpcLocalTriggerHost(trigger => trigger.PrefetchCount = 1);
        await using var provider = services.BuildServiceProvider();
        var host = provider.GetRequiredService<LocalTriggerHost>();
        await host.StartAsync(CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine($"probe consuming '{queue}': start the load now (e.g. fibrpc bench --queue {queue} --concurrency 32 --requests {warmupRequests + requests + 10_000})");

        // Bounded: gives up after ten minutes without the requested load.
        var deadline = Stopwatch.StartNew();
        async Task<bool> WaitForAsync(long handled)
        {
            while (host.Handled < handled)
            {
                if (deadline.Elapsed > TimeSpan.FromMinutes(10))
                {
                    return false;
                }

                await Task.Delay(20).ConfigureAwait(false);
            }

            return true;
        }

        if (!await WaitForAsync(warmupRequests).ConfigureAwait(false))
        {
            await Console.Error.WriteLineAsync("probe: not enough load within 10 minutes").ConfigureAwait(false);
            return 1;
        }

        var (handled0, bytes0, cpu0, gen0Before, time0) = (host.Handled, GC.GetTotalAllocatedBytes(precise: true), Environment.CpuUsage.TotalTime, GC.CollectionCount(0), Stopwatch.GetTimestamp());
        if (!await WaitForAsync(handled0 + requests).ConfigureAwait(false))
        {
            await Console.Error.WriteLineAsync("probe: the load stopped before the measurement ended").ConfigureAwait(false);
            return 1;
        }

        var (handled1, bytes1, cpu1, gen0After, elapsed) = (host.Handled, GC.GetTotalAllocatedBytes(precise: true), Environment.CpuUsage.TotalTime, GC.CollectionCount(0), Stopwatch.GetElapsedTime(time0));
        var count = handled1 - handled0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"probe: {count} requests in {elapsed.TotalSeconds:0.00} s ({count / elapsed.TotalSeconds:0} req/s): {(double)(bytes1 - bytes0) / count:0} bytes allocated and {(cpu1 - cpu0).TotalMicroseconds / count:0.0} µs CPU per request (whole process, the polling loop included); {gen0After - gen0Before} gen0 GCs"));
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FibRpc.Benchmarks.Report;
using FibRpc.Engine;

namespace FibRpc.Benchmarks.ReplyCache;

/// <summary>
/// <c>reply-cache [--rounds R] [--requests N] [--warmup-requests W] [--cache-bytes B] [--seed S]</c>: what the reply
/// cache buys one worker at prefetch 1. One thread plays one worker process: it takes requests one at a time from a
/// reproducible stream and, for each, computes F(n) and copies the reply into a send buffer (as RabbitMQ.Client
/// copies a body into its frame). Measured per request: that compute + copy time. Each run starts with a fresh
/// engine (a new worker's empty cache), runs W requests unmeasured so that the cache reaches its steady state, then
/// measures N. The plain engine and the caching one run alternately (order reversed every round) on the same stream,
/// and each workload reports the median over R rounds.
/// </summary>
internal static class ReplyCacheCommand
{
    public static Command Create()
    {
        var rounds = BenchOptions.With("--rounds", 5, "Rounds; in each, the plain and the caching engine run once, order reversed every round").AtLeast(1);
        var requests = BenchOptions.With("--requests", 50_000, "Measured requests per run").AtLeast(1);
        var warmupRequests = BenchOptions.With("--warmup-requests", 10_000, "Requests per run before the measured ones (the cache's steady state)").AtLeast(0);
        var cacheBytes = BenchOptions.With("--cache-bytes", 64L * 1024 * 1024, "The caching engine's capacity").AtLeast(1);
        var seed = BenchOptions.With("--seed", 1, "Seed of the request streams");
        var command = new Command("reply-cache", "What the reply cache buys one worker at prefetch 1, on three request streams (docs/benchmarks.md, Reply cache).")
        {
            rounds, requests, warmupRequests, cacheBytes, seed,
        };
        command.SetAction(parseResult => Run(parseResult.GetValue(rounds), parseResult.GetValue(requests), parseResult.GetValue(warmupRequests), parseResult.GetValue(cacheBytes), parseResult.GetValue(seed)));
        return command;
    }

    private static int Run(int rounds, int requests, int warmup, long cacheBytes, int seed)
    {
        // The transform tables are shared and grow to the largest n seen: build them before anything is timed.
        new FibonacciEngine().ComputeDecimal(1_000_000);

        RequestStream[] workloads =
        [
            // Repeated large n: a few hundred popular large values, as when clients ask for the same big F(n) again.
            new(LargeShare: 0.10, LargeDistinct: 200, ZipfExponent: 1.0),
            // Same shape, a wider and flatter set of large values: fewer repeats within the cache's reach.
            new(LargeShare: 0.10, LargeDistinct: 5_000, ZipfExponent: 0.8),
            // Large n that hardly ever repeat: the cache's cost when it cannot help.
            new(LargeShare: 0.10, LargeDistinct: 900_001, ZipfExponent: 0.0),
        ];

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reply-cache: {rounds} rounds, {warmup} warm-up + {requests} measured requests per run, cache {cacheBytes} bytes, seed {seed}, {Environment.ProcessorCount} cores"));
        foreach (var workload in workloads)
        {
            var stream = workload.Generate(warmup + requests, seed);
            var plain = new List<RunResult>();
            var cached = new List<RunResult>();
            for (var round = 0; round < rounds; round++)
            {
                // Alternate the order so that drift in the machine's load does not favour either side.
                var cacheFirst = round % 2 == 1;
                for (var step = 0; step < 2; step++)
                {
                    var withCache = (step == 0) == cacheFirst;
                    var result = RunOnce(stream, warmup, withCache ? cacheBytes : 0);
                    (withCache ? cached : plain).Add(result);
                }
            }

            Report(workload, plain, cached);
        }

        return 0;
    }

    private static RunResult RunOnce(int[] stream, int warmup, long cacheBytes)
    {
        var counter = new InnerCallCounter(new FibonacciEngine());
        IFibonacciEngine engine = cacheBytes > 0
            ? new CachingFibonacciEngine(counter, cacheBytes, uncachedUpTo: FibonacciEngine.TableMaxN)
            : counter;
        var sendBuffer = new byte[1 << 20];
        var times = new long[stream.Length - warmup];

        for (var i = 0; i < warmup; i++)
        {
            engine.ComputeDecimal(stream[i]).Span.CopyTo(sendBuffer);
        }

        GC.Collect();
        var computedBefore = counter.Computed;
        var gen2Before = GC.CollectionCount(2);
        var start = Stopwatch.GetTimestamp();
        for (var i = warmup; i < stream.Length; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            engine.ComputeDecimal(stream[i]).Span.CopyTo(sendBuffer);
            times[i - warmup] = Stopwatch.GetTimestamp() - t0;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        Array.Sort(times);
        var large = stream.Skip(warmup).Count(n => n > FibonacciEngine.TableMaxN);
        return new RunResult(
            times.Length / elapsed.TotalSeconds,
            Percentile(times, 0.50),
            Percentile(times, 0.99),
            Percentile(times, 0.999),
            large == 0 ? 0 : 1 - (double)(counter.Computed - computedBefore) / large,
            GC.CollectionCount(2) - gen2Before);
    }

    private static double Percentile(long[] sortedTicks, double q) =>
        sortedTicks[Math.Min(sortedTicks.Length - 1, (int)Math.Ceiling(q * sortedTicks.Length) - 1)] * 1e6 / Stopwatch.Frequency;

    private static void Report(RequestStream workload, List<RunResult> plain, List<RunResult> cached)
    {
        // Ratios are taken within each round (side by side), then the median.
        var throughputGain = Stats.Median(plain.Zip(cached, (p, c) => c.RequestsPerSecond / p.RequestsPerSecond));
        var p99Ratio = Stats.Median(plain.Zip(cached, (p, c) => c.P99Micros / p.P99Micros));
        Console.WriteLine();
        Console.WriteLine($"workload: {workload}");
        Console.WriteLine("| engine | req/s | p50 µs | p99 µs | p99.9 µs | hits among n > 93 | gen2 GCs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, runs) in new[] { ("FibonacciEngine", plain), ("CachingFibonacciEngine", cached) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Stats.Median(runs.Select(r => r.RequestsPerSecond)):0} | {Stats.Median(runs.Select(r => r.P50Micros)):0.00} | {Stats.Median(runs.Select(r => r.P99Micros)):0} | {Stats.Median(runs.Select(r => r.P999Micros)):0} | {Stats.Median(runs.Select(r => r.HitRatio)):P1} | {Stats.Median(runs.Select(r => (double)r.Gen2Collections)):0} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cache vs plain (median of per-round ratios): throughput x{throughputGain:0.00} (rounds {string.Join(", ", plain.Zip(cached, (p, c) => (c.RequestsPerSecond / p.RequestsPerSecond).ToString("0.00", CultureInfo.InvariantCulture)))}), p99 x{p99Ratio:0.00}"));
    }

    private sealed record RunResult(double RequestsPerSecond, double P50Micros, double P99Micros, double P999Micros, double HitRatio, int Gen2Collections);
}

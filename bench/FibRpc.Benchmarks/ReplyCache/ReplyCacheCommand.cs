using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FibRpc.Benchmarks.Report;
using FibRpc.Engine;

namespace FibRpc.Benchmarks.ReplyCache;

/// <summary>
/// <c>reply-cache [--rounds R]</c>: what the reply cache buys one worker at prefetch 1 (method: docs/benchmarks.md,
/// Reply cache): one thread computes each F(n) of a reproducible stream and copies the reply into a send buffer.
/// </summary>
internal static class ReplyCacheCommand
{
    private const int Warmup = 10_000;
    private const int Requests = 50_000;
    private const long CacheBytes = 64L * 1024 * 1024;
    private const int Seed = 1;

    public static Command Create()
    {
        var rounds = BenchOptions.With("--rounds", 5, "Rounds; in each, the plain and the caching engine run once, order reversed every round").AtLeast(1);
        var command = new Command("reply-cache", "What the reply cache buys one worker at prefetch 1, on three request streams (docs/benchmarks.md, Reply cache).")
        {
            rounds,
        };
        command.SetAction(parseResult => Run(parseResult.GetValue(rounds)));
        return command;
    }

    private static int Run(int rounds)
    {
        // The transform tables are shared and grow to the largest n seen: build them before anything is timed.
        new FibonacciEngine().ComputeDecimal(1_000_000);

        RequestStream[] workloads =
        [
            // Repeated large n: a few hundred popular large values, as when clients ask for the same big F(n) again.
            new(LargeDistinct: 200, ZipfExponent: 1.0),
            // Same shape, a wider and flatter set of large values: fewer repeats within the cache's reach.
            new(LargeDistinct: 5_000, ZipfExponent: 0.8),
            // Large n that hardly ever repeat: the cache's cost when it cannot help.
            new(LargeDistinct: 900_001, ZipfExponent: 0.0),
        ];

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reply-cache: {rounds} rounds, {Warmup} warm-up + {Requests} measured requests per run, cache {CacheBytes} bytes, seed {Seed}, {Environment.ProcessorCount} cores"));
        foreach (var workload in workloads)
        {
            var stream = workload.Generate(Warmup + Requests, Seed);
            var runs = Stats.AlternatingAsync([false, true], rounds, (withCache, _) => Task.FromResult(RunOnce(stream, withCache))).GetAwaiter().GetResult();
            Report(workload, runs[false], runs[true]);
        }

        return 0;
    }

    /// <summary>One worker's run: requests/s, p50, p99 and p99.9 in µs, the share of n > 93 answered from the cache, gen2 collections.</summary>
    private static double[] RunOnce(int[] stream, bool withCache)
    {
        var counter = new InnerCallCounter(new FibonacciEngine());
        IFibonacciEngine engine = withCache ? new CachingFibonacciEngine(counter, CacheBytes, uncachedUpTo: FibonacciEngine.TableMaxN) : counter;
        var sendBuffer = new byte[1 << 20];
        var times = new long[Requests];

        for (var i = 0; i < Warmup; i++)
        {
            engine.ComputeDecimal(stream[i]).Span.CopyTo(sendBuffer);
        }

        GC.Collect();
        var computedBefore = counter.Computed;
        var gen2Before = GC.CollectionCount(2);
        var start = Stopwatch.GetTimestamp();
        for (var i = Warmup; i < stream.Length; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            engine.ComputeDecimal(stream[i]).Span.CopyTo(sendBuffer);
            times[i - Warmup] = Stopwatch.GetTimestamp() - t0;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        Array.Sort(times);
        double Percentile(double q) => times[Math.Min(times.Length - 1, (int)Math.Ceiling(q * times.Length) - 1)] * 1e6 / Stopwatch.Frequency;
        var large = stream.Skip(Warmup).Count(n => n > FibonacciEngine.TableMaxN);
        return [times.Length / elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99), Percentile(0.999),
            large == 0 ? 0 : 1 - (double)(counter.Computed - computedBefore) / large, GC.CollectionCount(2) - gen2Before];
    }

    private static void Report(RequestStream workload, List<double[]> plain, List<double[]> cached)
    {
        var throughputGains = plain.Zip(cached, (p, c) => c[0] / p[0]).ToArray();
        Console.WriteLine();
        Console.WriteLine($"workload: {workload}");
        Console.WriteLine("| engine | req/s | p50 µs | p99 µs | p99.9 µs | hits among n > 93 | gen2 GCs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, runs) in new[] { ("FibonacciEngine", plain), ("CachingFibonacciEngine", cached) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Stats.Median(runs, 0):0} | {Stats.Median(runs, 1):0.00} | {Stats.Median(runs, 2):0} | {Stats.Median(runs, 3):0} | {Stats.Median(runs, 4):P1} | {Stats.Median(runs, 5):0} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cache vs plain (median of per-round ratios): throughput x{Stats.Median(throughputGains):0.00} (rounds {string.Join(", ", throughputGains.Select(gain => gain.ToString("0.00", CultureInfo.InvariantCulture)))}), p99 x{Stats.Median(plain.Zip(cached, (p, c) => c[2] / p[2])):0.00}"));
    }

    /// <summary>Counts the computations that reach the real engine beyond its table, i.e. the cache's misses.</summary>
    private sealed class InnerCallCounter(IFibonacciEngine inner) : IFibonacciEngine
    {
        public long Computed { get; private set; }

        public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
        {
            Computed += n > FibonacciEngine.TableMaxN ? 1 : 0;
            return inner.ComputeDecimal(n, cancellationToken);
        }
    }

    /// <summary>
    /// A reproducible stream of requested n: 90% small n (Zipf over 0..9,999, so 0, 1, 2... dominate), and 10% large n
    /// drawn by Zipf rank from a fixed set of distinct values in [10^5, 10^6]. The popular large values are scattered over
    /// the range (ranks are assigned at random), so popularity does not follow size.
    /// </summary>
    private sealed record RequestStream(int LargeDistinct, double ZipfExponent)
    {
        private const double LargeShare = 0.10;
        private const int LargeMin = 100_000;
        private const int LargeMax = 1_000_000;
        private const int SmallRange = 10_000;

        public int[] Generate(int count, int seed)
        {
            var random = new Random(seed);
            var largeValues = Enumerable.Range(0, LargeDistinct).Select(_ => random.Next(LargeMin, LargeMax + 1)).ToArray();
            var smallRanks = ZipfTable(SmallRange, ZipfExponent);
            var largeRanks = ZipfTable(LargeDistinct, ZipfExponent);
            return [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() < LargeShare ? largeValues[Sample(largeRanks, random)] : Sample(smallRanks, random))];
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{LargeShare:P0} large n (Zipf s = {ZipfExponent} over {LargeDistinct} distinct values in [{LargeMin}, {LargeMax}]), the rest Zipf over 0..{SmallRange - 1}");

        /// <summary>Cumulative Zipf weights 1/k^s for ranks k = 1..size, normalised to end at 1.</summary>
        private static double[] ZipfTable(int size, double exponent)
        {
            var cumulative = new double[size];
            var sum = 0.0;
            for (var k = 1; k <= size; k++)
            {
                sum += 1.0 / Math.Pow(k, exponent);
                cumulative[k - 1] = sum;
            }

            return [.. cumulative.Select(value => value / sum)];
        }

        private static int Sample(double[] cumulative, Random random)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble());
            return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
        }
    }
}

using System.Globalization;
using FibRpc.Contract;
using FibRpc.Messaging;

namespace FibRpc.Benchmarks.Capacity;

/// <summary>The options of <c>capacity</c>; every default is what docs/scaling.md was generated with.</summary>
internal sealed record CapacitySettings
{
    public const string Usage = "usage: capacity [--brokers single,cluster] [--workers 1,2] [--concurrency 1,4] [--small-n 10] [--large-n 1000000] "
        + "[--rounds 3] [--seconds 6] [--warmup 2] [--fibrpc PATH] [--no-build] [--connection URI] [--cluster URI,URI,...]";

    /// <summary>The three nodes that scripts/cluster.sh starts.</summary>
    public const string ClusterDefault = "amqp://guest:guest@127.0.0.1:5681/,amqp://guest:guest@127.0.0.1:5682/,amqp://guest:guest@127.0.0.1:5683/";

    public IReadOnlyList<string> Brokers { get; init; } = ["single", "cluster"];

    public IReadOnlyList<int> Workers { get; init; } = [1, 2];

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 4];

    /// <summary>The round-trip-bound workload: F(10) is a table lookup, the time is all broker round trips.</summary>
    public int SmallN { get; init; } = 10;

    /// <summary>The compute-bound workload: F(10^6), about 209,000 digits, computed anew every time (the cache is off).</summary>
    public int LargeN { get; init; } = 1_000_000;

    public int Rounds { get; init; } = 3;

    public double Seconds { get; init; } = 6;

    public double Warmup { get; init; } = 2;

    /// <summary>The fibrpc that serves; null for the one built from this tree.</summary>
    public string? Fibrpc { get; init; }

    /// <summary>Use the fibrpc already built from this tree (the load generator, and serve unless --fibrpc) as it is.</summary>
    public bool NoBuild { get; init; }

    /// <summary>The single-node broker.</summary>
    public string Connection { get; init; } = BrokerUri.Resolve(Environment.GetEnvironmentVariable(RpcNames.ConnectionSetting));

    /// <summary>The cluster's endpoint list, as serve and bench take it.</summary>
    public string Cluster { get; init; } = ClusterDefault;

    public string ConnectionOf(string brokers) => brokers == "cluster" ? Cluster : Connection;

    /// <summary>Parses the arguments; null (after printing why) when they make no sense.</summary>
    public static CapacitySettings? Parse(IReadOnlyList<string> args)
    {
        var settings = new CapacitySettings();
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                double Number() => double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
                int[] Integers() => Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                settings = args[i] switch
                {
                    "--brokers" => settings with { Brokers = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                    "--workers" => settings with { Workers = Integers() },
                    "--concurrency" => settings with { Concurrency = Integers() },
                    "--small-n" => settings with { SmallN = int.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--large-n" => settings with { LargeN = int.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--rounds" => settings with { Rounds = int.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--seconds" => settings with { Seconds = Number() },
                    "--warmup" => settings with { Warmup = Number() },
                    "--fibrpc" => settings with { Fibrpc = Path.GetFullPath(Value()) },
                    "--no-build" => settings with { NoBuild = true },
                    "--connection" => settings with { Connection = Value() },
                    "--cluster" => settings with { Cluster = Value() },
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
        }
        catch (Exception error) when (error is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"capacity: {error.Message}");
            Console.Error.WriteLine(Usage);
            return null;
        }

        if (settings.Brokers.Count == 0 || settings.Brokers.Any(b => b is not ("single" or "cluster"))
            || settings.Workers.Count == 0 || settings.Workers.Any(w => w < 1) || settings.Concurrency.Count == 0 || settings.Concurrency.Any(c => c < 1)
            || settings.Rounds < 1 || settings.Seconds <= 0 || settings.Warmup < 0)
        {
            Console.Error.WriteLine("capacity: --brokers lists single and/or cluster; --workers and --concurrency positive numbers; --rounds at least 1; --seconds positive");
            Console.Error.WriteLine(Usage);
            return null;
        }

        // Loopback only: CPU is read from /proc, which says nothing about a broker elsewhere.
        var all = settings.Brokers.SelectMany(b => settings.ConnectionOf(b).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (all.FirstOrDefault(uri => !new Uri(uri).IsLoopback) is { } remote)
        {
            Console.Error.WriteLine($"capacity: only loopback brokers are measured (got {BrokerUri.Redact(remote)})");
            return null;
        }

        return settings;
    }
}

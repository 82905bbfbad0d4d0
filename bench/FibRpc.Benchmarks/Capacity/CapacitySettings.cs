namespace FibRpc.Benchmarks.Capacity;

/// <summary>The options of <c>capacity</c> (see <see cref="CapacityCommand.Create"/>); every default is what docs/scaling.md was generated with.</summary>
/// <param name="Brokers">single and/or cluster.</param>
/// <param name="SmallN">The round-trip-bound workload: F(10) is a table lookup, the time is all broker round trips.</param>
/// <param name="LargeN">The compute-bound workload: F(10^6), about 209,000 digits, computed anew every time (the cache is off).</param>
/// <param name="Fibrpc">The fibrpc that serves; null for the one built from this tree.</param>
/// <param name="Connection">The single-node broker.</param>
/// <param name="Cluster">The cluster's endpoint list, as serve and bench take it.</param>
internal sealed record CapacitySettings(IReadOnlyList<string> Brokers, IReadOnlyList<int> Workers, IReadOnlyList<int> Concurrency, int SmallN, int LargeN,
    int Rounds, double Seconds, double Warmup, string? Fibrpc, bool NoBuild, string Connection, string Cluster)
{
    /// <summary>The three nodes that scripts/cluster.sh starts.</summary>
    public const string ClusterDefault = "amqp://guest:guest@127.0.0.1:5681/,amqp://guest:guest@127.0.0.1:5682/,amqp://guest:guest@127.0.0.1:5683/";

    public string ConnectionOf(string brokers) => brokers == "cluster" ? Cluster : Connection;
}

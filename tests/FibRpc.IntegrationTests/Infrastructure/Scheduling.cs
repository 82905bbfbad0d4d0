using FibRpc.IntegrationTests.Conformance;
using FibRpc.IntegrationTests.Faults;
using FibRpc.IntegrationTests.FirstHour;
using FibRpc.IntegrationTests.HighAvailability;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.IntegrationTests.Recovery;
using FibRpc.IntegrationTests.Topology;
using Xunit.Abstractions;
using Xunit.Sdk;

// Most of the suite's time is spent waiting: on the broker, on child processes, on nodes that boot. Four collections
// at once keep two cores busy without starving the timing checks of the long suites.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
[assembly: TestCollectionOrderer("FibRpc.IntegrationTests.Infrastructure.LongestFirst", "FibRpc.IntegrationTests")]

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>
/// The trait of the suites that are long by nature (a 3-node cluster losing nodes, broker restarts under load, the
/// fault suite): scripts/test.sh leaves them out unless given --full, which CI runs.
/// </summary>
public static class TestCategory
{
    public const string Name = "Category";
    public const string Long = "Long";
}

/// <summary>
/// Starts the collections that take longest first, so that none of them is left to run alone at the end: the order
/// is what the measured durations were, longest first; any other collection follows in xunit's own order.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private static readonly string[] Longest =
    [
        nameof(QuorumFailoverTests),
        FaultCollection.Name, // with ClientRecoveryTests
        ManagementCollection.Name,
        nameof(FirstHourTests),
        nameof(ConformanceTests),
        nameof(QueuePolicyTests),
        BenchClientCollection.Name,
        nameof(PrometheusDashboardTests),
        nameof(RunScriptTelemetryTests),
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.Select((collection, index) => (collection, index)).OrderBy(c => Rank(c.collection)).ThenBy(c => c.index).Select(c => c.collection);

    // A collection definition's display name is its name; a class's own collection is "Test collection for <class>".
    private static int Rank(ITestCollection collection)
    {
        var name = collection.DisplayName;
        var rank = Array.FindIndex(Longest, longest => name == longest || name.EndsWith("." + longest, StringComparison.Ordinal));
        return rank < 0 ? Longest.Length : rank;
    }
}

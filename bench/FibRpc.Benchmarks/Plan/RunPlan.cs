namespace FibRpc.Benchmarks.Plan;

/// <summary>
/// A queue of the plan and the identical processes consuming it, each at prefetch 1, with the environment they
/// run in (the thread-pool variants differ only there).
/// </summary>
/// <param name="Consumer">What consumes it: the words of <see cref="RunPlan.Serve"/>, <see cref="RunPlan.CeilingWithConfirms"/> or <see cref="RunPlan.CeilingRaw"/>.</param>
/// <param name="Fibrpc">The fibrpc executable for serve; null for the one built from this tree.</param>
internal sealed record Consumers(string Queue, string[] Consumer, int Count, IReadOnlyDictionary<string, string> Environment, string? Fibrpc = null)
{
    public bool IsCeiling => Consumer[0] == "ceiling";
}

/// <summary>One line of the run plan: a <c>fibrpc bench</c> run on the queue of one group of consumers; its results are NAME.rROUND.json.</summary>
internal sealed record Measurement(string Name, Consumers Target, IReadOnlyList<string> BenchArguments);

/// <summary>
/// Every side-by-side comparison of the RPC benchmarks, in one list: the service against the ceiling reference
/// consumers with and without confirms, scale-out, the thread-pool variants and, when asked, a baseline build.
/// Each measurement runs once per round, so the noise of a shared machine hits all of them alike.
/// </summary>
internal static class RunPlan
{
    public const string Mix = "10:90,100000:10";

    /// <summary><c>fibrpc serve</c>, and the ceiling reference consumer with publisher confirms (the service's guarantees) and without (the broker's raw ceiling).</summary>
    public static readonly string[] Serve = ["serve", "--prefetch", "1"], CeilingWithConfirms = ["ceiling", "--confirms"], CeilingRaw = ["ceiling", "--no-confirms"];

    private const string SpinLimit = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    private static readonly Dictionary<string, string> Defaults = [];
    private static readonly Dictionary<string, string> SpinLimit0 = new() { [SpinLimit] = "0" };
    private static readonly Dictionary<string, string> OneWorker = new()
    {
        ["DOTNET_ThreadPool_ForceMinWorkerThreads"] = "1",
        ["DOTNET_ThreadPool_ForceMaxWorkerThreads"] = "1",
    };

    private static readonly Dictionary<string, string> OneWorkerSpinLimit0 = new(OneWorker) { [SpinLimit] = "0" };

    /// <summary>The measurements of one round, in forward order; n = 30 sits next to n = 10 at C = 1 because the two are compared.</summary>
    public static IReadOnlyList<Measurement> Measurements(string? baselineFibrpc)
    {
        Consumers serve = new("bench_rpc_queue", Serve, 1, Defaults);
        Consumers confirms = new("bench_ceiling_confirms", CeilingWithConfirms, 1, Defaults);
        Consumers raw = new("bench_ceiling_raw", CeilingRaw, 1, Defaults);
        string[] N10(int concurrency) => ["--n", "10", "--concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var plan = new List<Measurement>
        {
            new("svc-n10-c1", serve, N10(1)),
            new("svc-n30-c1", serve, ["--n", "30", "--concurrency", "1"]),
            new("ceilc-n10-c1", confirms, N10(1)),
            new("ceilr-n10-c1", raw, N10(1)),
            new("svc-n10-c32", serve, N10(32)),
            new("ceilc-n10-c32", confirms, N10(32)),
            new("ceilr-n10-c32", raw, N10(32)),
            new("svc-mix-c32", serve, ["--mix", Mix, "--concurrency", "32"]),
            new("svc2-n10-c32", new("bench_scale2_queue", Serve, 2, Defaults), N10(32)),
            new("svc4-n10-c32", new("bench_scale4_queue", Serve, 4, Defaults), N10(32)),
            new("ceilc4-n10-c32", new("bench_ceiling4_confirms", CeilingWithConfirms, 4, Defaults), N10(32)),
            new("svcs0-n10-c32", new("bench_spin0_queue", Serve, 1, SpinLimit0), N10(32)),
            new("ceilcs0-n10-c32", new("bench_ceiling_spin0_confirms", CeilingWithConfirms, 1, SpinLimit0), N10(32)),
            new("svcw1-n10-c32", new("bench_oneworker_queue", Serve, 1, OneWorker), N10(32)),
            new("svcw1s0-n10-c32", new("bench_oneworker_spin0_queue", Serve, 1, OneWorkerSpinLimit0), N10(32)),
        };
        if (baselineFibrpc is not null)
        {
            Consumers baseline = new("bench_baseline_queue", Serve, 1, Defaults, baselineFibrpc);
            plan.Add(new("base-n10-c1", baseline, N10(1)));
            plan.Add(new("base-n10-c32", baseline, N10(32)));
        }

        return plan;
    }
}

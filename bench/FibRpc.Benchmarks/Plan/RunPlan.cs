namespace FibRpc.Benchmarks.Plan;

/// <summary>
/// Every side-by-side comparison of the RPC benchmarks, in one list: the service against the ceiling reference
/// consumers with and without confirms, scale-out, the thread-pool variants and, when asked, a baseline build.
/// Each measurement runs once per round, so the noise of a shared machine hits all of them alike.
/// </summary>
internal static class RunPlan
{
    private const string SpinLimit = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    private static readonly Dictionary<string, string> Defaults = [];
    private static readonly Dictionary<string, string> SpinLimit0 = new() { [SpinLimit] = "0" };
    private static readonly Dictionary<string, string> OneWorker = new()
    {
        ["DOTNET_ThreadPool_ForceMinWorkerThreads"] = "1",
        ["DOTNET_ThreadPool_ForceMaxWorkerThreads"] = "1",
    };

    private static readonly Dictionary<string, string> OneWorkerSpinLimit0 = new(OneWorker) { [SpinLimit] = "0" };

    /// <summary>Who consumes what: one group of identical processes per queue.</summary>
    public sealed record Layout(Consumers Serve, Consumers Scale2, Consumers Scale4, Consumers CeilingConfirms, Consumers CeilingRaw,
        Consumers CeilingConfirms4, Consumers ServeSpin0, Consumers CeilingSpin0, Consumers ServeOneWorker, Consumers ServeOneWorkerSpin0, Consumers? Baseline)
    {
        public IEnumerable<Consumers> All =>
            new[] { Serve, Scale2, Scale4, CeilingConfirms, CeilingRaw, CeilingConfirms4, ServeSpin0, CeilingSpin0, ServeOneWorker, ServeOneWorkerSpin0, Baseline }.OfType<Consumers>();
    }

    public static Layout CreateLayout(string? baselineFibrpc) => new(
        new("bench_rpc_queue", ConsumerKind.Serve, 1, Defaults),
        new("bench_scale2_queue", ConsumerKind.Serve, 2, Defaults),
        new("bench_scale4_queue", ConsumerKind.Serve, 4, Defaults),
        new("bench_ceiling_confirms", ConsumerKind.CeilingWithConfirms, 1, Defaults),
        new("bench_ceiling_raw", ConsumerKind.CeilingRaw, 1, Defaults),
        new("bench_ceiling4_confirms", ConsumerKind.CeilingWithConfirms, 4, Defaults),
        new("bench_spin0_queue", ConsumerKind.Serve, 1, SpinLimit0),
        new("bench_ceiling_spin0_confirms", ConsumerKind.CeilingWithConfirms, 1, SpinLimit0),
        new("bench_oneworker_queue", ConsumerKind.Serve, 1, OneWorker),
        new("bench_oneworker_spin0_queue", ConsumerKind.Serve, 1, OneWorkerSpinLimit0),
        baselineFibrpc is null ? null : new("bench_baseline_queue", ConsumerKind.Serve, 1, Defaults, baselineFibrpc));

    /// <summary>The measurements of one round, in forward order; n = 30 sits next to n = 10 at C = 1 because the two are compared.</summary>
    public static IReadOnlyList<Measurement> Measurements(Layout layout, string mix)
    {
        ArgumentNullException.ThrowIfNull(layout);
        string[] N10(int concurrency) => ["--n", "10", "--concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var plan = new List<Measurement>
        {
            new("svc-n10-c1", layout.Serve, N10(1)),
            new("svc-n30-c1", layout.Serve, ["--n", "30", "--concurrency", "1"]),
            new("ceilc-n10-c1", layout.CeilingConfirms, N10(1)),
            new("ceilr-n10-c1", layout.CeilingRaw, N10(1)),
            new("svc-n10-c32", layout.Serve, N10(32)),
            new("ceilc-n10-c32", layout.CeilingConfirms, N10(32)),
            new("ceilr-n10-c32", layout.CeilingRaw, N10(32)),
            new("svc-mix-c32", layout.Serve, ["--mix", mix, "--concurrency", "32"]),
            new("svc2-n10-c32", layout.Scale2, N10(32)),
            new("svc4-n10-c32", layout.Scale4, N10(32)),
            new("ceilc4-n10-c32", layout.CeilingConfirms4, N10(32)),
            new("svcs0-n10-c32", layout.ServeSpin0, N10(32)),
            new("ceilcs0-n10-c32", layout.CeilingSpin0, N10(32)),
            new("svcw1-n10-c32", layout.ServeOneWorker, N10(32)),
            new("svcw1s0-n10-c32", layout.ServeOneWorkerSpin0, N10(32)),
        };
        if (layout.Baseline is { } baseline)
        {
            plan.Add(new("base-n10-c1", baseline, N10(1)));
            plan.Add(new("base-n10-c32", baseline, N10(32)));
        }

        return plan;
    }

    /// <summary>Odd rounds go forward, even rounds backward, so that a drifting background load favours no measurement.</summary>
    public static IEnumerable<Measurement> InRound(IReadOnlyList<Measurement> plan, int round) =>
        round % 2 == 1 ? plan : Enumerable.Reverse(plan);
}

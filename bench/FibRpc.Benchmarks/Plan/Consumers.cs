namespace FibRpc.Benchmarks.Plan;

/// <summary>What consumes a queue of the plan.</summary>
internal enum ConsumerKind
{
    /// <summary><c>fibrpc serve</c>.</summary>
    Serve,

    /// <summary>The ceiling reference consumer with publisher confirms (the service's guarantees).</summary>
    CeilingWithConfirms,

    /// <summary>The ceiling reference consumer without confirms (the broker's raw ceiling).</summary>
    CeilingRaw,
}

/// <summary>
/// A queue of the plan and the identical processes consuming it, each at prefetch 1, with the environment they
/// run in (the thread-pool variants differ only there).
/// </summary>
/// <param name="Queue">The queue, declared by <c>fibrpc topology</c> before anything consumes it.</param>
/// <param name="Kind">What consumes it.</param>
/// <param name="Count">How many processes.</param>
/// <param name="Environment">Variables set for those processes only.</param>
/// <param name="Fibrpc">The fibrpc executable for <see cref="ConsumerKind.Serve"/>; null for the one built from this tree.</param>
internal sealed record Consumers(string Queue, ConsumerKind Kind, int Count, IReadOnlyDictionary<string, string> Environment, string? Fibrpc = null)
{
    public bool IsCeiling => Kind != ConsumerKind.Serve;
}

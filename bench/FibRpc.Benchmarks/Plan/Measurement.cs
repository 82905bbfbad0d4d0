namespace FibRpc.Benchmarks.Plan;

/// <summary>
/// One line of the run plan: a <c>fibrpc bench</c> run on the queue of one group of consumers. The name is what the
/// report looks for (NAME.rROUND.json).
/// </summary>
internal sealed record Measurement(string Name, Consumers Target, IReadOnlyList<string> BenchArguments);

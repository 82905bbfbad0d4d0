using System.Globalization;
using System.Text;
using FibRpc.Benchmarks.Report;

namespace FibRpc.Benchmarks.Capacity;

/// <summary>The capacity runs as the markdown table of docs/scaling.md: medians over the rounds, one row per setting.</summary>
internal static class CapacityTable
{
    public static string Render(IReadOnlyList<CapacityRun> runs, CapacitySettings settings)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Medians of {settings.Rounds} rounds of {settings.Seconds} s (after {settings.Warmup} s of warm-up), rounds in alternating order; the result cache off.");
        table.AppendLine();
        table.AppendLine("| brokers | workers | n | C | req/s | p50 ms | p99 ms | serve CPU µs/req | machine busy | failures |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in runs.GroupBy(r => (r.Brokers, r.N, r.Workers, r.Concurrency)).OrderBy(g => g.Key.Brokers, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.N).ThenBy(g => g.Key.Workers).ThenBy(g => g.Key.Concurrency))
        {
            var (brokers, n, workers, concurrency) = row.Key;
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {brokers} | {workers} | {n} | {concurrency} | {Stats.Median(row.Select(r => r.RequestsPerSecond)):0} | {Stats.Median(row.Select(r => r.P50Ms)):0.00} | {Stats.Median(row.Select(r => r.P99Ms)):0.00} | {Stats.Median(row.Select(r => r.ServeCpuMicrosecondsPerRequest)):0} | {Stats.Median(row.Select(r => r.MachineBusyPercent)):0}% | {row.Sum(r => r.Failures)} |");
        }

        return table.ToString();
    }

}

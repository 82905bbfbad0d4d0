using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FibRpc.Benchmarks.Report;

namespace FibRpc.Benchmarks.ColdStart;

/// <summary>
/// `first-reply --compute N`: the wall time of whole processes, one per F(N), no broker; every labelled command's
/// digits must be the same, a `--bare` command's output is not compared (method: docs/benchmarks.md, Cold start).
/// </summary>
internal static class ComputeColdStart
{
    public sealed record Entry(string Label, string[] Command, bool Compare);

    public static async Task<int> RunAsync(IReadOnlyList<Entry> entries, int runs, int warmup)
    {
        string? expected = null;
        async Task<double[]> RunOnceAsync(Entry entry, int round)
        {
            var (wall, exit, output) = await TimeAsync(entry.Command).ConfigureAwait(false);
            var digest = Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(output)));
            return exit == 0 && (!entry.Compare || (expected ??= digest) == digest) ? [wall]
                : throw new InvalidOperationException($"{entry.Label} exited with {exit} or printed other digits than the first label ({(round == 0 ? "warm-up" : $"round {round}")})");
        }

        Dictionary<Entry, List<double[]>> samples;
        try
        {
            foreach (var entry in entries)
            {
                for (var w = 0; w < warmup; w++)
                {
                    await RunOnceAsync(entry, 0).ConfigureAwait(false);
                }
            }

            samples = await Stats.AlternatingAsync(entries, runs, RunOnceAsync).ConfigureAwait(false);
        }
        catch (InvalidOperationException error)
        {
            await Console.Error.WriteLineAsync("first-reply --compute: " + error.Message).ConfigureAwait(false);
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{runs} runs of each, alternating (order reversed every other run), after {warmup} warm-up runs; {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end"));
        Console.WriteLine();
        Console.WriteLine($"| command | wall median | min | max | ratio to {entries[0].Label} (median of runs) | range |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        foreach (var entry in entries)
        {
            var wall = samples[entry].Select(sample => sample[0]).ToArray();
            var ratio = wall.Select((ms, round) => ms / samples[entries[0]][round][0]).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {entry.Label} | {Stats.Median(wall):0.0} ms | {wall.Min():0.0} ms | {wall.Max():0.0} ms | {Stats.Median(ratio):0.00} | {ratio.Min():0.00} to {ratio.Max():0.00} |"));
        }

        return 0;
    }

    /// <summary>One process, no shell: its wall time from start to exit with the output read (through a pipe), its exit code and standard output.</summary>
    public static async Task<(double WallMs, int Exit, string Output)> TimeAsync(string[] command)
    {
        var started = Stopwatch.GetTimestamp();
        using var process = new ChildProcess(command[0], command[1..]);
        var exit = await process.WaitForExitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, exit, process.StandardOutput);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FibRpc.Benchmarks.Report;

namespace FibRpc.Benchmarks.ColdStart;

/// <summary>
/// Cold start of one whole process per F(n), no broker: `first-reply --compute N` runs each labelled command as a
/// fresh process that prints F(N) (its standard output read through a pipe and checked to be the same digits as
/// every other labelled command's), alternating the commands run by run, and reports per command the median, minimum
/// and maximum wall time (start to exit, output read), and the ratio of each run to the first command's run in the
/// same round (median and range). A `--bare NAME "COMMAND"` is timed the same way but its output is not compared (a
/// bare start such as `--version`, or an empty program: the process floor).
/// </summary>
internal static class ComputeColdStart
{
    public sealed record Entry(string Label, string[] Command, bool Compare);

    public static async Task<int> RunAsync(IReadOnlyList<Entry> entries, int runs, int warmup)
    {
        string? digest = null;
        async Task<double[]> RunOnceAsync(Entry entry, int round)
        {
            var started = Stopwatch.GetTimestamp();
            using var process = new ChildProcess(entry.Command[0], entry.Command[1..]);
            var exit = await process.WaitForExitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var output = Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(process.StandardOutput)));
            return exit == 0 && (!entry.Compare || (digest ??= output) == output) ? [wall]
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
}

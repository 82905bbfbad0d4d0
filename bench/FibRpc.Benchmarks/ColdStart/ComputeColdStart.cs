using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FibRpc.Benchmarks.Report;

namespace FibRpc.Benchmarks.ColdStart;

/// <summary>
/// Cold start of one whole process per F(n), no broker: `first-reply --compute N` runs each labelled command as a
/// fresh process that prints F(N) (its standard output read through a pipe and checked to be the same digits as
/// every other labelled command's), alternating the commands run by run (A B A B ..., the order reversed every other
/// round), and reports per command the median, minimum and maximum wall time (start to exit, output read), and
/// the ratio of each run to the first command's run in the same round (median and range). A command given as
/// `--bare NAME "COMMAND"` is timed the same way but its output is not compared (a bare start such as `--version`,
/// or an empty program: the process floor).
/// </summary>
internal static class ComputeColdStart
{
    public sealed record Entry(string Label, string[] Command, bool Compare);

    public static async Task<int> RunAsync(IReadOnlyList<Entry> entries, int runs, int warmup)
    {
        string? digest = null;
        foreach (var entry in entries)
        {
            for (var w = 0; w < warmup; w++)
            {
                var (_, output, exit) = await TimeAsync(entry).ConfigureAwait(false);
                if (exit != 0 || (entry.Compare && (digest ??= output) != output))
                {
                    await Console.Error.WriteLineAsync($"first-reply --compute: {entry.Label} exited with {exit} or printed other digits than the first label").ConfigureAwait(false);
                    return 1;
                }
            }
        }

        var samples = entries.ToDictionary(e => e.Label, _ => new List<double>());
        var ratios = entries.ToDictionary(e => e.Label, _ => new List<double>());
        for (var round = 0; round < runs; round++)
        {
            var wall = new Dictionary<string, double>();
            foreach (var entry in round % 2 == 0 ? entries : entries.Reverse())
            {
                var (ms, output, exit) = await TimeAsync(entry).ConfigureAwait(false);
                if (exit != 0 || (entry.Compare && output != digest))
                {
                    await Console.Error.WriteLineAsync($"first-reply --compute: {entry.Label} failed or printed other digits in round {round + 1}").ConfigureAwait(false);
                    return 1;
                }

                samples[entry.Label].Add(ms);
                wall[entry.Label] = ms;
            }

            foreach (var entry in entries)
            {
                ratios[entry.Label].Add(wall[entry.Label] / wall[entries[0].Label]);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{runs} runs of each, alternating (order reversed every other run), after {warmup} warm-up runs; {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end"));
        Console.WriteLine();
        Console.WriteLine($"| command | wall median | min | max | ratio to {entries[0].Label} (median of runs) | range |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        foreach (var entry in entries)
        {
            var wall = samples[entry.Label].Order().ToList();
            var ratio = ratios[entry.Label].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {entry.Label} | {Stats.Median(wall):0.0} ms | {wall[0]:0.0} ms | {wall[^1]:0.0} ms | {Stats.Median(ratio):0.00} | {ratio[0]:0.00} to {ratio[^1]:0.00} |"));
        }

        return 0;
    }

    /// <summary>One run: wall time from start to exit with the output read, the SHA-256 of its standard output, its exit code.</summary>
    private static async Task<(double WallMs, string Output, int Exit)> TimeAsync(Entry entry)
    {
        var started = Stopwatch.GetTimestamp();
        using var process = new ChildProcess(entry.Command[0], entry.Command[1..]);
        var exit = await process.WaitForExitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return (wall, Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(process.StandardOutput))), exit);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace FibRpc.Benchmarks.ColdStart;

/// <summary>
/// Cold start of one whole process per F(n), no broker: `first-reply --compute N` runs each labelled command as a
/// fresh process that prints F(N) (its standard output read through a pipe and checked to be the same digits as
/// every other command's), alternating the commands run by run (A B A B ..., the order reversed every other
/// round), and reports per command the median, minimum and maximum wall time (start to exit, output read), and
/// the ratio of each run to the first command's run in the same round (median and range). A command given as
/// `--bare "COMMAND"` is timed the same way but its output is not compared (a bare start such as `--version`, or an
/// empty program: the process floor).
/// Usage: first-reply --compute 1000000 --runs 40 --label aot "artifacts/fibrpc/FibRpc.Cli compute 1000000"
///        --label gmpy2 "/usr/bin/python3 -c import&#32;gmpy2;print(gmpy2.fib(1000000))" --bare version "artifacts/fibrpc/FibRpc.Cli --version"
/// (in a COMMAND, words are split at spaces; write a space inside a word as &amp;#32;).
/// </summary>
internal static class ComputeColdStart
{
    private sealed record Entry(string Label, string[] Command, bool Compare);

    private sealed record Sample(double WallMs);

    public static int Run(string[] args)
    {
        var runs = 40;
        var warmup = 3;
        var entries = new List<Entry>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--compute" when i + 1 < args.Length: i++; break; // the n is part of each command
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup" when i + 1 < args.Length: warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--label" or "--bare" when i + 2 < args.Length:
                    var compare = args[i] == "--label";
                    var label = args[++i];
                    var command = args[++i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Replace("&#32;", " ", StringComparison.Ordinal)).ToArray();
                    entries.Add(new Entry(label, command, compare));
                    break;
                default:
                    Console.Error.WriteLine("usage: first-reply --compute N [--runs 40] [--warmup 3] --label NAME \"COMMAND\" ... [--bare NAME \"COMMAND\"] ...");
                    return 2;
            }
        }

        if (entries.Count == 0)
        {
            Console.Error.WriteLine("first-reply --compute: give at least one --label NAME \"COMMAND\"");
            return 2;
        }

        string? digest = null;
        foreach (var entry in entries)
        {
            for (var w = 0; w < warmup; w++)
            {
                var (_, output, exit) = Time(entry);
                if (exit != 0)
                {
                    Console.Error.WriteLine($"first-reply --compute: {entry.Label} exited with {exit}");
                    return 1;
                }

                if (entry.Compare && (digest ??= output) != output)
                {
                    Console.Error.WriteLine($"first-reply --compute: {entry.Label} printed other digits than {entries[0].Label}");
                    return 1;
                }
            }
        }

        var samples = entries.ToDictionary(e => e.Label, _ => new List<Sample>());
        var ratios = entries.ToDictionary(e => e.Label, _ => new List<double>());
        for (var round = 0; round < runs; round++)
        {
            var order = round % 2 == 0 ? entries : Enumerable.Reverse(entries).ToList();
            var wall = new Dictionary<string, double>();
            foreach (var entry in order)
            {
                var (run, output, exit) = Time(entry);
                if (exit != 0 || (entry.Compare && output != digest))
                {
                    Console.Error.WriteLine($"first-reply --compute: {entry.Label} failed or printed other digits in round {round + 1}");
                    return 1;
                }

                samples[entry.Label].Add(run);
                wall[entry.Label] = run.WallMs;
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
            var wall = samples[entry.Label].Select(s => s.WallMs).Order().ToList();
            var ratio = ratios[entry.Label].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {entry.Label} | {Median(wall):0.0} ms | {wall[0]:0.0} ms | {wall[^1]:0.0} ms | {Median(ratio):0.00} | {ratio[0]:0.00} to {ratio[^1]:0.00} |"));
        }

        return 0;
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static (Sample Run, string Output, int Exit) Time(Entry entry)
    {
        var info = new ProcessStartInfo(entry.Command[0]) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in entry.Command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var stream = process.StandardOutput.BaseStream;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            hash.AppendData(buffer.AsSpan(0, read));
        }

        process.WaitForExit();
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return (new Sample(wall), Convert.ToHexString(hash.GetHashAndReset()), process.ExitCode);
    }
}

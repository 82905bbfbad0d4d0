using System.Globalization;

namespace FibRpc.Benchmarks.Report;

/// <summary>VmRSS of `serve` sampled twice a second over the sustained phase (sustain-rss.txt: "unix-time kB" lines).</summary>
internal sealed record MemorySamples(double StartMiB, double EndMiB, double MaxMiB, double FirstQuarterMiB, double LastQuarterMiB, int Count)
{
    /// <summary>Flat: the mean of the last quarter of samples is within 5% of the first quarter's.</summary>
    public bool IsFlat => Count >= 4 && LastQuarterMiB <= FirstQuarterMiB * 1.05;

    public static MemorySamples? Load(string directory)
    {
        var path = Path.Combine(directory, "sustain-rss.txt");
        if (!File.Exists(path))
        {
            return null;
        }

        var values = File.ReadLines(path)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .Select(parts => double.Parse(parts[1], CultureInfo.InvariantCulture) / 1024)
            .ToArray();
        if (values.Length == 0)
        {
            return null;
        }

        var quarter = Math.Max(1, values.Length / 4);
        return new MemorySamples(values[0], values[^1], values.Max(), values[..quarter].Average(), values[^quarter..].Average(), values.Length);
    }
}

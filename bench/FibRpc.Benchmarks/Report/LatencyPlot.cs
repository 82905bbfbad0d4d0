using System.Globalization;
using System.Text;

namespace FibRpc.Benchmarks.Report;

/// <summary>
/// The latency plot beside the table, written as SVG by hand: one dependency-free file that renders on GitHub and
/// diffs as text, with no plotting package to install on the benchmark machine.
/// </summary>
internal static class LatencyPlot
{
    private const int Width = 820;
    private const int Height = 460;
    private const int Left = 70;
    private const int Right = 250;
    private const int Top = 40;
    private const int Bottom = 50;

    public sealed record Series(string Label, string Color, bool Dashed, double[] LatencyMs);

    public static string Render(string title, IReadOnlyList<Series> series)
    {
        var all = series.SelectMany(s => s.LatencyMs).Where(v => v > 0).DefaultIfEmpty(1).ToArray();
        var low = Math.Pow(10, Math.Floor(Math.Log10(all.Min())));
        var high = Math.Pow(10, Math.Ceiling(Math.Log10(all.Max())));
        if (high <= low)
        {
            high = low * 10;
        }

        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var columns = RunResult.PercentileNames.Length;
        double X(int i) => Left + (plotWidth * (i + 0.5) / columns);
        double Y(double ms) => Top + plotHeight - (plotHeight * (Math.Log10(Math.Max(ms, low)) - Math.Log10(low)) / (Math.Log10(high) - Math.Log10(low)));

        var svg = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        svg.AppendLine(c, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine(c, $"""<rect width="{Width}" height="{Height}" fill="white"/>""");
        svg.AppendLine(c, $"""<text x="{Left}" y="22" font-size="15" font-weight="bold">{Escape(title)}</text>""");

        // Decades and their labels; the y axis is logarithmic because tails span orders of magnitude.
        for (var decade = low; decade <= high * 1.0001; decade *= 10)
        {
            var y = Y(decade);
            svg.AppendLine(c, $"""<line x1="{Left}" y1="{y:0.#}" x2="{Left + plotWidth}" y2="{y:0.#}" stroke="#ddd"/>""");
            svg.AppendLine(c, $"""<text x="{Left - 8}" y="{y + 4:0.#}" text-anchor="end">{decade.ToString("0.###", c)}</text>""");
        }

        svg.AppendLine(c, $"""<text x="18" y="{Top + (plotHeight / 2)}" transform="rotate(-90 18 {Top + (plotHeight / 2)})" text-anchor="middle">latency (ms, log scale)</text>""");
        for (var i = 0; i < columns; i++)
        {
            svg.AppendLine(c, $"""<line x1="{X(i):0.#}" y1="{Top}" x2="{X(i):0.#}" y2="{Top + plotHeight}" stroke="#eee"/>""");
            svg.AppendLine(c, $"""<text x="{X(i):0.#}" y="{Top + plotHeight + 20}" text-anchor="middle">{RunResult.PercentileNames[i]}</text>""");
        }

        svg.AppendLine(c, $"""<rect x="{Left}" y="{Top}" width="{plotWidth}" height="{plotHeight}" fill="none" stroke="#888"/>""");
        for (var s = 0; s < series.Count; s++)
        {
            var line = series[s];
            var points = string.Join(' ', line.LatencyMs.Select((ms, i) => string.Create(c, $"{X(i):0.#},{Y(ms):0.#}")));
            var dash = line.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
            svg.AppendLine(c, $"""<polyline points="{points}" fill="none" stroke="{line.Color}" stroke-width="2"{dash}/>""");
            foreach (var (ms, i) in line.LatencyMs.Select((ms, i) => (ms, i)))
            {
                svg.AppendLine(c, $"""<circle cx="{X(i):0.#}" cy="{Y(ms):0.#}" r="3" fill="{line.Color}"><title>{Escape(line.Label)} {RunResult.PercentileNames[i]}: {ms:0.###} ms</title></circle>""");
            }

            var legendY = Top + 10 + (s * 22);
            svg.AppendLine(c, $"""<line x1="{Width - Right + 15}" y1="{legendY}" x2="{Width - Right + 45}" y2="{legendY}" stroke="{line.Color}" stroke-width="2"{dash}/>""");
            svg.AppendLine(c, $"""<text x="{Width - Right + 52}" y="{legendY + 4}">{Escape(line.Label)}</text>""");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}

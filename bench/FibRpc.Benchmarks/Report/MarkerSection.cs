namespace FibRpc.Benchmarks.Report;

/// <summary>
/// Replaces only the text between the rpc-bench marker lines of docs/benchmarks.md, which other sections share,
/// creating the file with its heading and the markers when it does not exist yet.
/// </summary>
internal static class MarkerSection
{
    public const string Begin = "<!-- rpc-bench:begin -->";
    public const string End = "<!-- rpc-bench:end -->";

    public static string Replace(string? document, string section)
    {
        var body = Begin + "\n" + section.TrimEnd('\n') + "\n" + End;
        if (document is null)
        {
            return "## RPC throughput\n\n" + body + "\n";
        }

        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            // No (well-formed) markers: append our section rather than touch anything else.
            return document.TrimEnd('\n') + "\n\n## RPC throughput\n\n" + body + "\n";
        }

        return string.Concat(document.AsSpan(0, begin), body, document.AsSpan(end + End.Length));
    }
}

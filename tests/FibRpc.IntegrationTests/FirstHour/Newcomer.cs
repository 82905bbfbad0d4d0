using FibRpc.IntegrationTests.Infrastructure;

namespace FibRpc.IntegrationTests.FirstHour;

/// <summary>
/// Runs the repository's scripts as a person types them (scripts/fibrpc, scripts/run.sh) and checks what that person
/// reads: no stack trace, no .NET type name.
/// </summary>
internal static class Newcomer
{
    /// <summary>The first run of scripts/fibrpc may build the tool; every later one starts it at once.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public static string Script(string name) => RepositoryFiles.PathOf($"scripts/{name}");

    /// <summary>Starts a script with the given environment on top of this process's own.</summary>
    public static ChildProcess Start(string script, IEnumerable<string> arguments, IDictionary<string, string>? environment = null) =>
        new("bash", [Script(script), .. arguments], environment);

    /// <summary>Runs a script to its end: its exit code and everything it printed (both streams).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        using var process = Start(script, arguments, environment);
        var exitCode = await process.WaitForExitAsync(Patience);
        return (exitCode, WithoutBuildNotice(process.Output));
    }

    /// <summary>Fails unless every line is for a person: no stack frame, no .NET type or namespace name.</summary>
    public static void AssertReadable(string output)
    {
        Assert.False(output.Contains("   at ", StringComparison.Ordinal), $"a stack trace was printed:\n{output}");
        Assert.False(output.Contains("System.", StringComparison.Ordinal), $"a .NET type name was printed:\n{output}");
        Assert.False(output.Contains("Exception", StringComparison.Ordinal), $"an exception's name was printed:\n{output}");
    }

    /// <summary>The one line of an error: the output, which must be exactly one line.</summary>
    public static string OneLine(string output)
    {
        AssertReadable(output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line, got {lines.Length}:\n{output}");
        return lines[0];
    }

    // scripts/fibrpc says so on standard error when it builds first; that line is for the person too, but not the subject.
    private static string WithoutBuildNotice(string output) => string.Join('\n', output.Split('\n').Where(line => !line.StartsWith("building fibrpc", StringComparison.Ordinal)));
}

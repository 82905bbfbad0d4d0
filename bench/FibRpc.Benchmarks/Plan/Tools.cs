namespace FibRpc.Benchmarks.Plan;

/// <summary>Where the plan's programs are, and how it runs the short-lived ones (builds, git, topology).</summary>
internal sealed class Tools(string root, string logs, IReadOnlyDictionary<string, string> environment)
{
    public string Root { get; } = root;

    public string Logs { get; } = logs;

    /// <summary>Set for every child: the broker to use.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    /// <summary>The fibrpc built from this tree by <c>dotnet build -c Release</c> (the apphost keeps the project's name).</summary>
    public string Fibrpc => FibrpcIn(Root);

    public static string FibrpcIn(string tree) => Path.Combine(tree, "FibRpc.Cli", "bin", "Release", "net10.0", "FibRpc.Cli");

    /// <summary>This program, which also runs the ceiling reference consumers.</summary>
    public static string Benchmarks => Path.Combine(AppContext.BaseDirectory, "FibRpc.Benchmarks");

    /// <summary>Runs a program to completion (its output in the logs); fails with that output when it exits with an error.</summary>
    public async Task RunAsync(string name, string program, IEnumerable<string> arguments)
    {
        using var child = new ChildProcess(program, arguments, Environment, Path.Combine(Logs, name + ".log"));
        if (await child.WaitForExitAsync(LongestStep).ConfigureAwait(false) != 0)
        {
            throw new InvalidOperationException($"{name} failed (exit {child.ExitCode}):{System.Environment.NewLine}{child.Output}");
        }
    }

    /// <summary>Runs a program to completion and returns its standard output.</summary>
    public async Task<string> OutputOfAsync(string program, IEnumerable<string> arguments)
    {
        using var child = new ChildProcess(program, arguments, Environment);
        await child.WaitForExitAsync(LongestStep).ConfigureAwait(false);
        return child.StandardOutput;
    }

    /// <summary>The longest a build, a git command or a topology declaration may take.</summary>
    private static readonly TimeSpan LongestStep = TimeSpan.FromMinutes(20);
}

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

    /// <summary>Runs a program to completion; fails with its log when it exits with an error.</summary>
    public async Task RunAsync(string name, string program, IEnumerable<string> arguments)
    {
        var log = Path.Combine(Logs, name + ".log");
        await using var child = ChildProcess.Start(name, program, arguments, log, Environment);
        var (exitCode, _) = await child.WaitAsync().ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{name} failed (exit {exitCode}):{System.Environment.NewLine}{await File.ReadAllTextAsync(log).ConfigureAwait(false)}");
        }
    }

    /// <summary>Runs a program to completion and returns its standard output.</summary>
    public async Task<string> OutputOfAsync(string program, IEnumerable<string> arguments)
    {
        await using var child = ChildProcess.Start(Path.GetFileName(program), program, arguments, Path.Combine(Logs, Path.GetFileName(program) + "-output.log"), Environment, captureOutput: true);
        return (await child.WaitAsync().ConfigureAwait(false)).Output;
    }
}

using System.Diagnostics;

namespace FibRpc.Tests.Deployment;

/// <summary>Runs a validator program and captures what it says; a missing program fails with how to install it.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}".Trim();
    }

    /// <summary>The absolute path of a program on PATH, or null.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    /// <summary>The program's path; fails the test, naming the package that provides it, when it is not installed.</summary>
    public static string Require(string program, string debianPackage) =>
        Find(program) ?? throw new Xunit.Sdk.XunitException(
            $"'{program}' is not installed: run `scripts/bootstrap.sh test` (as root), or `sudo apt-get install -y --no-install-recommends {debianPackage}`");

    /// <summary>Runs a program in the repository root, bounded in time (a validator that hangs fails the test).</summary>
    public static Result Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = RepoFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{program} {string.Join(' ', arguments)}: no answer within 2 minutes");
        }

        return new Result(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}

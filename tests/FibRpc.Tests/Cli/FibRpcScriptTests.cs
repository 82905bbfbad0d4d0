using System.Diagnostics;
using FibRpc.Tests.Deployment;

namespace FibRpc.Tests.Cli;

/// <summary>
/// scripts/fibrpc on a first run: says it builds and how long that takes, keeps MSBuild's summary to itself, and
/// shows the build's output only when the build fails. Run on a copy of the script in an empty folder, with a
/// stand-in dotnet on PATH, so that nothing is really built.
/// </summary>
public sealed class FibRpcScriptTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fibrpc-script-").FullName;

    public FibRpcScriptTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "scripts"));
        File.Copy(RepoFiles.PathOf("scripts/fibrpc"), Path.Combine(_root, "scripts", "fibrpc"));
        Directory.CreateDirectory(Path.Combine(_root, "bin"));
    }

    [Fact]
    public void The_first_run_says_it_builds_and_prints_only_the_answer()
    {
        FakeDotnet(buildExitCode: 0);

        var (exitCode, output) = Run("call", "10");

        Assert.Equal(0, exitCode);
        Assert.Equal(["building fibrpc (first run, about a minute)...", "ran call 10"], output);
    }

    [Fact]
    public void A_failed_build_shows_its_errors_and_what_to_do()
    {
        FakeDotnet(buildExitCode: 1);

        var (exitCode, output) = Run("call", "10");

        Assert.Equal(1, exitCode);
        Assert.Contains(output, line => line.EndsWith("error CS1002: ; expected", StringComparison.Ordinal));
        Assert.Contains(output, line => line.StartsWith("fibrpc: the build failed", StringComparison.Ordinal));
        Assert.DoesNotContain(output, line => line.StartsWith("ran ", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A dotnet that "builds" (printing MSBuild's noise, or an error) and "runs" the tool by echoing its arguments.</summary>
    private void FakeDotnet(int buildExitCode)
    {
        var dll = Path.Combine(_root, "FibRpc.Cli", "bin", "Release", "net10.0", "FibRpc.Cli.dll");
        var script = $$"""
            #!/usr/bin/env bash
            if [[ $1 == build ]]; then
                echo "  FibRpc.Cli -> {{dll}}"
                echo "Build succeeded."
                echo "    0 Warning(s)"
                if [[ {{buildExitCode}} -ne 0 ]]; then echo "Program.cs(1,1): error CS1002: ; expected"; exit {{buildExitCode}}; fi
                mkdir -p "$(dirname "{{dll}}")" && touch "{{dll}}"
                exit 0
            fi
            shift
            echo "ran $*"
            """;
        var path = Path.Combine(_root, "bin", "dotnet");
        File.WriteAllText(path, script.ReplaceLineEndings("\n"));
        Assert.True(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "scripts/fibrpc is a bash script: this test runs on Linux or macOS");
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private (int ExitCode, string[] Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(_root, "scripts", "fibrpc"), .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = $"{Path.Combine(_root, "bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var lines = (error.Result + output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (process.ExitCode, lines);
    }
}

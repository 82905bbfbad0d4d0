using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FibRpc.Engine;

namespace FibRpc.Cli.Commands;

/// <summary>fibrpc compute N: prints F(n) computed locally, without a broker.</summary>
/// <remarks>
/// A whole process per number, so start-up counts (docs/benchmarks.md, "Cold start"): the action is synchronous (an
/// asynchronous console write would start the thread pool) and writes with one system call (<see cref="StandardOutput"/>).
/// </remarks>
internal static class ComputeCommand
{
    public static Command Create()
    {
        var value = new Argument<int>("n") { Description = "The n of F(n), 0 or more" }.WholeNumber(0, int.MaxValue);
        var timing = new Option<bool>("--time") { Description = "Also print the time taken and the number of digits (to standard error)" };
        var info = new Option<bool>("--info") { Description = "Also print how the engine runs here: runtime, SIMD support, vector paths (to standard error)" };
        var command = new Command("compute", "Compute F(n) locally, without a broker, and print it.") { value, timing, info };
        command.SetAction(parseResult => Run(parseResult.GetValue(value), parseResult.GetValue(timing), parseResult.GetValue(info)));
        return command;
    }

    /// <summary>
    /// The fast path for the plain form `compute N` (N ASCII digits that fit an int, nothing else on the command
    /// line), taken before the command tree is built; anything else returns false and goes through the full parser.
    /// </summary>
    public static bool TryRunPlain(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args is not ["compute", var text] || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        exitCode = Run(n, timing: false, info: false);
        return true;
    }

    // n is never negative: the argument's parser takes 0 to int.MaxValue only.
    private static int Run(int n, bool timing, bool info)
    {
        if (info)
        {
            Console.Error.WriteLine(Diagnostics());
        }

        // The digits are written from the engine's working memory, inside the call (no reply array).
        var started = Stopwatch.GetTimestamp();
        var (written, digits, elapsed) = FibonacciEngine.WithDecimal(
            n,
            started,
            static (text, started) =>
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                return (StandardOutput.Write(text, "\n"u8), text.Length, elapsed);
            });
        if (!written)
        {
            return 0;
        }

        if (timing)
        {
            Console.Error.WriteLine($"F({n}): {digits} digits in {elapsed.TotalMilliseconds:0.###} ms, {GC.CollectionCount(0)} garbage collections");
        }

        return 0;
    }

    /// <summary>What decides the engine's speed on this machine and build, one fact a line.</summary>
    public static string Diagnostics() => string.Join(
        Environment.NewLine,
        $"runtime: {(RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "Native AOT")}, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}",
        $"Vector256.IsHardwareAccelerated: {Vector256.IsHardwareAccelerated}",
        $"Avx2.IsSupported: {Avx2.IsSupported}",
        $"Avx512F.IsSupported: {Avx512F.IsSupported}",
        $"engine transforms: {(FibonacciEngine.IsVectorized ? "AVX2, 8 lanes" : "scalar")}");
}

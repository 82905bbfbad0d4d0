using System.CommandLine;
using FibRpc.Engine;

namespace FibRpc.Cli.Commands;

/// <summary>fibrpc compute N: prints F(n) computed locally, without a broker.</summary>
internal static class ComputeCommand
{
    public static Command Create()
    {
        var value = new Argument<int>("n") { Description = "The n of F(n)" };
        var timing = new Option<bool>("--time") { Description = "Also print the time taken and the number of digits (to standard error)" };
        var command = new Command("compute", "Compute F(n) locally, without a broker, and print it.") { value, timing };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var n = parseResult.GetValue(value);
            if (n < 0)
            {
                await Console.Error.WriteLineAsync("fibrpc compute: n must not be negative");
                return 1;
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var digits = new FibonacciEngine().ComputeDecimal(n, cancellationToken);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            await using (var output = Console.OpenStandardOutput())
            {
                await output.WriteAsync(digits, cancellationToken);
                await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }

            if (parseResult.GetValue(timing))
            {
                await Console.Error.WriteLineAsync($"F({n}): {digits.Length} digits in {elapsed.TotalMilliseconds:0.###} ms");
            }

            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using System.CommandLine.Help;
using BenchmarkDotNet.Running;
using FibRpc.Benchmarks.Capacity;
using FibRpc.Benchmarks.Ceiling;
using FibRpc.Benchmarks.ColdStart;
using FibRpc.Benchmarks.FunctionStart;
using FibRpc.Benchmarks.Plan;
using FibRpc.Benchmarks.ReplyCache;
using FibRpc.Benchmarks.Report;

// Every subcommand says what it measures in --help (dotnet run -c Release --project bench/FibRpc.Benchmarks -- plan --help).
var root = new RootCommand("The benchmarks of docs/benchmarks.md and docs/scaling.md. Without a command: the BenchmarkDotNet suites (e.g. --filter '*Fibonacci*' --job short).")
{
    PlanCommand.Create(),
    CeilingCommand.Create(),
    ReportCommand.Create(),
    ReplyCacheCommand.Create(),
    FirstReplyCommand.Create(),
    FunctionFirstReplyCommand.Create(),
    FunctionFirstReplyCommand.CreateOnce(),
    CapacityCommand.Create(),
};
root.TreatUnmatchedTokensAsErrors = false;
root.SetAction(parseResult =>
{
    BenchmarkSwitcher.FromAssembly(typeof(CeilingCommand).Assembly).Run([.. parseResult.UnmatchedTokens]);
    return 0;
});

// As fibrpc does: a command line that does not parse gets its errors, where to read more, and exit code 2.
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"{parsed.CommandResult.Command.Name}: {error.Message}");
    }

    Console.Error.WriteLine($"See '{parsed.CommandResult.Command.Name} --help'.");
    return 2;
}

return await parsed.InvokeAsync();

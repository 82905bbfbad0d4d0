using System.CommandLine;
using System.CommandLine.Help;
using FibRpc.Cli.Commands;

// `compute N` and `--version` alone are answered before the command tree is built (a process per number or per
// version check: start-up is most of it).
if (ComputeCommand.TryRunPlain(args, out var computed) || VersionCommand.TryRunPlain(args, out computed))
{
    return computed;
}

var root = FibRpcCommand.Create();

// serve runs a generic host that handles Ctrl+C and SIGTERM itself (graceful drain); the other commands get the
// token that System.CommandLine cancels on those signals.
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
var parsed = root.Parse(args);
// --help wins over any error in the rest of the line.
if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
{
    return FibRpcCommand.ReportParseErrors(parsed, Console.Error);
}

return await parsed.InvokeAsync(configuration);

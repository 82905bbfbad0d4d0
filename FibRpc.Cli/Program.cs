using System.CommandLine;
using System.CommandLine.Help;
using FibRpc.Cli.Commands;

// `compute N` alone is answered before the command tree is built (a process per number: start-up is most of it).
if (ComputeCommand.TryRunPlain(args, out var computed))
{
    return computed;
}

// Named "fibrpc" in help and errors whatever the assembly is called (RootCommand would take the assembly's name).
var root = new Command("fibrpc", "fibrpc: the Fibonacci RPC service on RabbitMQ, run locally, called, measured.")
{
    new HelpOption(),
    new VersionOption(),
    CommonOptions.Connection,
    CommonOptions.CaFile,
    TopologyCommand.Create(),
    ServeCommand.Create(),
    CallCommand.Create(),
    ComputeCommand.Create(),
    BenchCommand.Create(),
};

// serve runs a generic host that handles Ctrl+C and SIGTERM itself (graceful drain); the other commands get the
// token that System.CommandLine cancels on those signals.
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await root.Parse(args).InvokeAsync(configuration);

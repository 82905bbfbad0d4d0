using System.CommandLine;
using FibRpc.Cli.Commands;

var root = new RootCommand("fibrpc: the Fibonacci RPC service on RabbitMQ, run locally, called, measured.")
{
    CommonOptions.Connection,
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

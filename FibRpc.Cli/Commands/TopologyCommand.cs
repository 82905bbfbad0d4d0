using System.CommandLine;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Service.Topology;

namespace FibRpc.Cli.Commands;

/// <summary>fibrpc topology: declares the request queue and its dead-letter exchange and queue.</summary>
internal static class TopologyCommand
{
    public static Command Create()
    {
        var command = new Command("topology", "Declare the request queue (durable, classic) with its dead-letter exchange and queue. Safe to run again.")
        {
            CommonOptions.Queue,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var queue = parseResult.GetValue(CommonOptions.Queue)!;
            var uri = CommonOptions.ResolveConnection(parseResult);
            try
            {
                await using var connection = await RabbitConnection.CreateFactory(uri, "fibrpc-topology", CommonOptions.ResolveCaFile(parseResult)).CreateConnectionAsync(cancellationToken);
                await RpcTopology.DeclareAsync(connection, queue, cancellationToken);
            }
            catch (TopologyConflictException e)
            {
                await Console.Error.WriteLineAsync($"fibrpc topology: {BrokerUri.Scrub(e.Message, uri)}");
                return 1;
            }
            catch (Exception e) when (CommonOptions.IsConnectionFailure(e))
            {
                await Console.Error.WriteLineAsync($"fibrpc topology: {CommonOptions.Describe(e, parseResult)}");
                return 1;
            }

            Console.WriteLine($"declared: queue '{queue}' -> dead-letter exchange '{RpcNames.DeadLetterExchangeFor(queue)}' -> queue '{RpcNames.DeadLetterQueueFor(queue)}'");
            return 0;
        });
        return command;
    }
}

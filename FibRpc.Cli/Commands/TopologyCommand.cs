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
                await using var connection = await RabbitConnection.CreateFactory(uri, "fibrpc-topology").CreateConnectionAsync(cancellationToken);
                await RpcTopology.DeclareAsync(connection, queue, cancellationToken);
            }
            catch (Exception e) when (e is TopologyConflictException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
            {
                await Console.Error.WriteLineAsync($"fibrpc topology: {e.Message}");
                return 1;
            }

            Console.WriteLine($"declared: queue '{queue}' -> dead-letter exchange '{RpcNames.DeadLetterExchangeFor(queue)}' -> queue '{RpcNames.DeadLetterQueueFor(queue)}'");
            return 0;
        });
        return command;
    }
}

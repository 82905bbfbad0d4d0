using System.CommandLine;
using System.Text;
using FibRpc.Client;

namespace FibRpc.Cli.Commands;

/// <summary>fibrpc call N [N...]: asks the running service and prints each answer or error.</summary>
internal static class CallCommand
{
    public static Command Create()
    {
        var values = new Argument<string[]>("n")
        {
            Description = "The n of each F(n) to ask for (sent as given, so bad input shows the service's error reply)",
            Arity = ArgumentArity.OneOrMore,
        };
        var timeout = new Option<double>("--timeout", "-t")
        {
            Description = $"Seconds to wait for each answer, re-sends after a lost connection included ({NumberOptions.ShortestWait} to {FibRpcClientOptions.LongestTimeout.TotalSeconds})",
            DefaultValueFactory = _ => 30,
        }.PositiveSeconds(FibRpcClientOptions.LongestTimeout.TotalSeconds);
        var command = new Command("call", """
            Call the running service for F(n) and print each answer (or error). Rides through a broker restart: a call
            whose connection or reply was lost is sent again once the client has reconnected, within --timeout.
            """)
        {
            values, timeout, CommonOptions.ExclusiveReplyQueue, CommonOptions.Queue, CommonOptions.Connection, CommonOptions.CaFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = CommonOptions.ClientOptions(parseResult, TimeSpan.FromSeconds(parseResult.GetValue(timeout)));
            await using var telemetry = await ClientCommandTelemetry.StartAsync(cancellationToken);
            FibRpcClient client;
            try
            {
                client = await FibRpcClient.ConnectAsync(options, cancellationToken);
            }
            catch (Exception e) when (CommonOptions.IsConnectionFailure(e))
            {
                await Console.Error.WriteLineAsync($"fibrpc call: {CommonOptions.Describe(e, parseResult)}");
                return 2;
            }

            await using var owned = client;
            client.CallResent += (_, resent) => Console.Error.WriteLine($"F({Encoding.UTF8.GetString(resent.Request.Span)}): {resent.Loss.Message}; sending it again");

            // All in flight at once; printed in the order asked.
            var requests = parseResult.GetValue(values)!;
            var calls = requests.Select(n => client.CallRawAsync(Encoding.UTF8.GetBytes(n), cancellationToken: cancellationToken)).ToArray();
            var failures = 0;
            for (var i = 0; i < calls.Length; i++)
            {
                try
                {
                    var reply = await calls[i];
                    Console.WriteLine(requests.Length == 1 ? Encoding.ASCII.GetString(reply.Span) : $"F({requests[i]}) = {Encoding.ASCII.GetString(reply.Span)}");
                }
                catch (FibRpcException e)
                {
                    failures++;
                    await Console.Error.WriteLineAsync($"F({requests[i]}): {e.Message}");
                }
            }

            return failures == 0 ? 0 : 1;
        });
        return command;
    }
}

using System.CommandLine;
using System.Diagnostics;
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
            Description = "Seconds to wait for each answer, retries after a lost connection included",
            DefaultValueFactory = _ => 30,
        };
        var command = new Command("call", """
            Call the running service for F(n) and print each answer (or error). Rides through a broker restart: a call
            whose connection or reply was lost is sent again once the client has reconnected, within --timeout.
            """)
        {
            values, timeout, CommonOptions.ExclusiveReplyQueue, CommonOptions.Queue,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var limit = TimeSpan.FromSeconds(parseResult.GetValue(timeout));
            var options = new FibRpcClientOptions
            {
                Connection = CommonOptions.ResolveConnection(parseResult),
                CaFile = CommonOptions.ResolveCaFile(parseResult),
                RequestQueue = parseResult.GetValue(CommonOptions.Queue)!,
                ReplyQueue = CommonOptions.ReplyQueueMode(parseResult),
                Timeout = limit,
            };
            await using var telemetry = await ClientTelemetry.StartAsync(cancellationToken);
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

            // All in flight at once; printed in the order asked.
            var requests = parseResult.GetValue(values)!;
            var calls = requests.Select(n => CallRidingThroughAsync(client, n, limit, cancellationToken)).ToArray();
            var failures = 0;
            for (var i = 0; i < calls.Length; i++)
            {
                try
                {
                    var reply = await calls[i];
                    Console.WriteLine(requests.Length == 1 ? Encoding.ASCII.GetString(reply.Span) : $"F({requests[i]}) = {Encoding.ASCII.GetString(reply.Span)}");
                }
                catch (Exception e) when (e is FibRpcErrorException or TimeoutException or FibRpcUnroutableException or FibRpcNackedException
                    or FibRpcReplyLostException or FibRpcConnectionLostException)
                {
                    failures++;
                    await Console.Error.WriteLineAsync($"F({requests[i]}): {e.Message}");
                }
            }

            return failures == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>
    /// One answer within <paramref name="limit"/>: a call that lost its connection or its reply is sent again (F(n)
    /// never changes, so a second request is harmless); the client waits for the reconnection inside the next call.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> CallRidingThroughAsync(FibRpcClient client, string n, TimeSpan limit, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(n);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return await client.CallRawAsync(body, limit - Stopwatch.GetElapsedTime(started), cancellationToken);
            }
            catch (Exception e) when (e is FibRpcReplyLostException or FibRpcConnectionLostException && limit - Stopwatch.GetElapsedTime(started) > TimeSpan.FromMilliseconds(100))
            {
                await Console.Error.WriteLineAsync($"F({n}): {e.Message}; sending it again");
            }
        }
    }
}

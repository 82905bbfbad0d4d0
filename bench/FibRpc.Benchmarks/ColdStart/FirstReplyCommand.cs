using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FibRpc.Benchmarks.Report;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Topology;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.Benchmarks.ColdStart;

/// <summary>
/// Start-to-first-reply of a fresh <c>fibrpc serve</c> against its bare start (<c>--version</c>) and warm round trip
/// (method: docs/benchmarks.md); with --compute N, whole processes that print F(N) (<see cref="ComputeColdStart"/>).
/// </summary>
internal static class FirstReplyCommand
{
    /// <param name="Command">The program and its first words; <c>serve</c> and the queue's options follow.</param>
    /// <param name="ServeArgs">Words given after <c>serve</c> in the label's COMMAND, passed to serve after the queue's options.</param>
    private sealed record Server(string Label, string[] Command, string[] ServeArgs);

    public static Command Create()
    {
        var label = Labelled("--label", """
            A command to time, as NAME "COMMAND" (repeatable; words split at spaces, &#32; for a space inside a word). Without --compute:
            how to start fibrpc, with serve's own arguments after the word serve ("dotnet FibRpc.Cli.dll serve --no-warm-up");
            with --compute: a whole process that prints F(N), its digits compared with the other labels'
            """);
        var bare = Labelled("--bare", "With --compute: a command timed like a label, its output not compared (a bare start, the empty program: the process floor); after the labels");
        var compute = new Option<int?>("--compute") { Description = "Time whole processes, one per F(N) (the N is part of each command), instead of serve's first reply; no broker" };
        var runs = new Option<int?>("--runs") { Description = "Rounds; in each, every command runs once, order reversed every other round. Default: 7, or 40 with --compute" };
        var warmup = BenchOptions.With("--warmup", 3, "With --compute: untimed runs of each command first").AtLeast(0);
        var connection = BenchOptions.Connection();
        var command = new Command("first-reply", "Start-to-first-reply of a fresh fibrpc serve against its bare start and warm round trip; with --compute, the cold start of whole processes.")
        {
            label, bare, compute, runs, warmup, connection,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(label) is not { Length: > 0 } && result.GetValue(bare) is not { Length: > 0 })
            {
                result.AddError("give at least one --label NAME \"COMMAND\"");
            }
        });
        command.SetAction(parseResult =>
        {
            var labels = parseResult.GetValue(label) ?? [];
            if (parseResult.GetValue(compute) is not null)
            {
                return ComputeColdStart.RunAsync([.. labels.Select(l => new ComputeColdStart.Entry(l.Name, l.Words, Compare: true)),
                    .. (parseResult.GetValue(bare) ?? []).Select(b => new ComputeColdStart.Entry(b.Name, b.Words, Compare: false))],
                    parseResult.GetValue(runs) ?? 40, parseResult.GetValue(warmup));
            }

            var servers = labels.Select(l => Array.IndexOf(l.Words, "serve") is var at and >= 0
                ? new Server(l.Name, l.Words[..at], l.Words[(at + 1)..]) : new Server(l.Name, l.Words, [])).ToList();
            return RunAsync(servers, parseResult.GetValue(runs) ?? 7, parseResult.Broker(connection));
        });
        return command;
    }

    /// <summary>A repeatable NAME "COMMAND" option, the command split into words.</summary>
    private static Option<(string Name, string[] Words)[]> Labelled(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result =>
        {
            if (result.Tokens.Count % 2 != 0)
            {
                result.AddError($"{name} takes a NAME and a \"COMMAND\"");
                return [];
            }

            return [.. result.Tokens.Chunk(2).Select(pair => (pair[0].Value, pair[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(word => word.Replace("&#32;", " ", StringComparison.Ordinal)).ToArray()))];
        },
    };

    private static async Task<int> RunAsync(List<Server> servers, int runs, string uri)
    {
        await using var connection = await RabbitConnection.CreateFactory(uri, "fibrpc-first-reply").CreateConnectionAsync().ConfigureAwait(false);
        var samples = await Stats.AlternatingAsync(servers, runs, async (server, round) =>
        {
            var sample = await MeasureAsync(connection, uri, server).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round} {server.Label}: first reply {sample[0]:0.0} ms, bare start {sample[1]:0.0} ms, warm round trip {sample[2]:0.00} ms"));
            return sample;
        }).ConfigureAwait(false);

        Console.WriteLine();
        Console.WriteLine("| serve | first reply (median) | bare start (--version) | warm round trip | first / (2 x warm + bare start) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var server in servers)
        {
            var (first, bare, warm) = (Stats.Median(samples[server], 0), Stats.Median(samples[server], 1), Stats.Median(samples[server], 2));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {server.Label} | {first:0.0} ms | {bare:0.0} ms | {warm:0.00} ms | {first / (2 * warm + bare):0.00} |"));
        }

        return 0;
    }

    /// <summary>One round of one server: first reply, bare start and warm round trip, in milliseconds.</summary>
    private static async Task<double[]> MeasureAsync(IConnection connection, string uri, Server server)
    {
        var queue = $"bench.first-reply.{Guid.NewGuid():N}";
        await RpcTopology.DeclareAsync(connection, queue).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
        var replies = (await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true).ConfigureAwait(false)).QueueName;
        var arrived = new SemaphoreSlim(0);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, _) =>
        {
            arrived.Release();
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(replies, autoAck: true, consumer).ConfigureAwait(false);

        async Task SendAsync(int id) =>
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true,
                new BasicProperties { ReplyTo = replies, CorrelationId = id.ToString(CultureInfo.InvariantCulture) }, Encoding.ASCII.GetBytes("10")).ConfigureAwait(false);

        await SendAsync(0);
        var (bare, _, _) = await ComputeColdStart.TimeAsync([.. server.Command, "--version"]).ConfigureAwait(false);
        using var process = new ChildProcess(server.Command[0], [.. server.Command[1..], "serve", "--queue", queue, "--connection", uri, "--log-level", "Warning", .. server.ServeArgs]);
        var clock = Stopwatch.StartNew();
        if (!await arrived.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false))
        {
            throw new TimeoutException($"{server.Label}: no first reply within 60 s; {process.WhyNotRunning() ?? "serve runs"}");
        }

        var first = clock.Elapsed.TotalMilliseconds;
        var roundTrips = new List<double>();
        for (var i = 1; i <= 20; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            await SendAsync(i).ConfigureAwait(false);
            await arrived.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            roundTrips.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }

        process.Kill();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await channel.QueueDeleteAsync(queue).ConfigureAwait(false);
        await channel.QueueDeleteAsync(RpcNames.DeadLetterQueueFor(queue)).ConfigureAwait(false);
        await channel.ExchangeDeleteAsync(RpcNames.DeadLetterExchangeFor(queue)).ConfigureAwait(false);
        return [first, bare, roundTrips.Order().ElementAt(roundTrips.Count / 2)];
    }
}

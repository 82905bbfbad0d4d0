using System.Diagnostics;
using System.Globalization;
using System.Text;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Topology;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.Benchmarks.ColdStart;

/// <summary>
/// Start-to-first-reply of a fresh <c>fibrpc serve</c>: a request for F(10) waits in a fresh queue, the process is
/// started, and the clock runs from its start until the reply arrives (no log is read). In the same run: the
/// process's bare start-up (the same binary asked for <c>--version</c>) and the warm round trip (20 more requests to
/// the same process). Rounds alternate the given commands; medians are reported.
/// With --compute N it times whole `fibrpc compute N` processes instead (<see cref="ComputeColdStart"/>).
/// Usage: first-reply --runs 7 --label jit "dotnet FibRpc.Cli/bin/Release/net10.0/FibRpc.Cli.dll" --label aot "artifacts/fibrpc/FibRpc.Cli" [--serve-args "--no-warm-up"]
/// </summary>
internal static class FirstReplyCommand
{
    private sealed record Server(string Label, string[] Command, string[] ServeArgs);

    private sealed record Sample(double FirstReplyMs, double BareStartMs, double WarmRoundTripMs);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--compute"))
        {
            return ComputeColdStart.Run(args); // one process per F(n), no broker
        }

        var uri = BrokerUri.Resolve(Environment.GetEnvironmentVariable(RpcNames.ConnectionSetting));
        var runs = 7;
        var servers = new List<Server>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--connection" when i + 1 < args.Length: uri = args[++i]; break;
                case "--label" when i + 2 < args.Length:
                    var label = args[++i];
                    var command = args[++i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var serveArgs = i + 2 < args.Length && args[i + 1] == "--serve-args" ? args[(i += 2)].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
                    servers.Add(new Server(label, command, serveArgs));
                    break;
                default:
                    await Console.Error.WriteLineAsync("usage: first-reply [--runs N] [--connection URI] --label NAME \"COMMAND\" [--serve-args \"ARGS\"] ...").ConfigureAwait(false);
                    return 2;
            }
        }

        if (servers.Count == 0)
        {
            await Console.Error.WriteLineAsync("first-reply: give at least one --label NAME \"COMMAND\"").ConfigureAwait(false);
            return 2;
        }

        await using var connection = await RabbitConnection.CreateFactory(uri, "fibrpc-first-reply").CreateConnectionAsync().ConfigureAwait(false);
        var samples = servers.ToDictionary(server => server.Label, _ => new List<Sample>());
        for (var round = 0; round < runs; round++)
        {
            // Alternate the order, so that neither command always runs on a machine the other just warmed.
            var order = round % 2 == 0 ? servers : Enumerable.Reverse(servers).ToList();
            foreach (var server in order)
            {
                var sample = await MeasureAsync(connection, uri, server).ConfigureAwait(false);
                samples[server.Label].Add(sample);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1} {server.Label}: first reply {sample.FirstReplyMs:0.0} ms, bare start {sample.BareStartMs:0.0} ms, warm round trip {sample.WarmRoundTripMs:0.00} ms"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| serve | first reply (median) | bare start (--version) | warm round trip | first / (2 x warm + bare start) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var server in servers)
        {
            var list = samples[server.Label];
            double Median(Func<Sample, double> value) => list.Select(value).Order().ElementAt(list.Count / 2);
            var first = Median(s => s.FirstReplyMs);
            var bare = Median(s => s.BareStartMs);
            var warm = Median(s => s.WarmRoundTripMs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {server.Label} | {first:0.0} ms | {bare:0.0} ms | {warm:0.00} ms | {first / (2 * warm + bare):0.00} |"));
        }

        return 0;
    }

    private static async Task<Sample> MeasureAsync(IConnection connection, string uri, Server server)
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
        var bare = await TimeVersionAsync(server).ConfigureAwait(false);
        using var process = Start(server, ["serve", "--queue", queue, "--connection", uri, "--log-level", "Warning", .. server.ServeArgs]);
        var clock = Stopwatch.StartNew();
        if (!await arrived.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false))
        {
            throw new TimeoutException($"{server.Label}: no first reply within 60 s");
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

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync().ConfigureAwait(false);
        await channel.QueueDeleteAsync(queue).ConfigureAwait(false);
        await channel.QueueDeleteAsync(RpcNames.DeadLetterQueueFor(queue)).ConfigureAwait(false);
        await channel.ExchangeDeleteAsync(RpcNames.DeadLetterExchangeFor(queue)).ConfigureAwait(false);
        return new Sample(first, bare, roundTrips.Order().ElementAt(roundTrips.Count / 2));
    }

    private static async Task<double> TimeVersionAsync(Server server)
    {
        var clock = Stopwatch.StartNew();
        using var process = Start(server, ["--version"]);
        await process.WaitForExitAsync().ConfigureAwait(false);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static Process Start(Server server, string[] arguments)
    {
        var start = new ProcessStartInfo(server.Command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in server.Command.Skip(1).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {server.Command[0]}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

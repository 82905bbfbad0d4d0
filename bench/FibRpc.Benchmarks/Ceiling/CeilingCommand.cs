using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using FibRpc.Contract;
using FibRpc.Messaging;
using RabbitMQ.Client;

namespace FibRpc.Benchmarks.Ceiling;

/// <summary>
/// <c>ceiling --confirms|--no-confirms [--queue Q] [--connection URI] [--prefetch 1] [--reply TEXT]</c>: runs a
/// <see cref="CeilingConsumer"/> until Ctrl+C or SIGTERM. Measured with <c>fibrpc bench --expect-constant TEXT</c>.
/// </summary>
internal static class CeilingCommand
{
    public const string DefaultReply = "ceiling";

    private const string Usage = "usage: ceiling --confirms|--no-confirms [--queue Q] [--connection URI] [--prefetch N] [--reply TEXT]";

    public static async Task<int> RunAsync(string[] args)
    {
        bool? confirms = null;
        var queue = "bench_rpc_queue";
        var uri = BrokerUri.Resolve(Environment.GetEnvironmentVariable(RpcNames.ConnectionSetting));
        ushort prefetch = 1;
        var reply = DefaultReply;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--confirms": confirms = true; break;
                case "--no-confirms": confirms = false; break;
                case "--queue" or "-q": queue = Value(); break;
                case "--connection" or "-c": uri = Value(); break;
                case "--prefetch": prefetch = ushort.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--reply": reply = Value(); break;
                default:
                    await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
                    return 2;
            }
        }

        if (confirms is not { } withConfirms)
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.Cancel(); });

        var kind = withConfirms ? "confirms" : "no-confirms";
        await using var connection = await RabbitConnection.CreateFactory(uri, "fibrpc-ceiling-" + kind).CreateConnectionAsync().ConfigureAwait(false);
        // One publish in flight at a time: the outstanding-confirm rate limiter could never throttle, so it is left out.
        var channelOptions = new CreateChannelOptions(publisherConfirmationsEnabled: withConfirms, publisherConfirmationTrackingEnabled: withConfirms, outstandingPublisherConfirmationsRateLimiter: null);
        await using var channel = await connection.CreateChannelAsync(channelOptions).ConfigureAwait(false);
        await channel.QueueDeclarePassiveAsync(queue).ConfigureAwait(false);
        await channel.BasicQosAsync(0, prefetch, global: false).ConfigureAwait(false);
        var consumer = new CeilingConsumer(channel, Encoding.UTF8.GetBytes(reply));
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer).ConfigureAwait(false);
        Console.WriteLine($"ceiling ({kind}, prefetch {prefetch}) consuming '{queue}', replying '{reply}'");

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        await channel.CloseAsync().ConfigureAwait(false);
        Console.WriteLine($"ceiling ({kind}) stopped after {consumer.Answered} requests");
        return 0;
    }
}

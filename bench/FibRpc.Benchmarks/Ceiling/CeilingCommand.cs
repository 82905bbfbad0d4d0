using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using FibRpc.Messaging;
using RabbitMQ.Client;

namespace FibRpc.Benchmarks.Ceiling;

/// <summary>
/// <c>ceiling --confirms|--no-confirms [--queue Q] [--connection URI]</c>: runs a <see cref="CeilingConsumer"/> at
/// prefetch 1 until Ctrl+C or SIGTERM. Measured with <c>fibrpc bench --expect-constant ceiling</c>.
/// </summary>
internal static class CeilingCommand
{
    public const string DefaultReply = "ceiling";

    public static Command Create()
    {
        var confirms = new Option<bool>("--confirms") { Description = "Publish each reply with a publisher confirm and ack only once it is confirmed (the service's guarantee)" };
        var noConfirms = new Option<bool>("--no-confirms") { Description = "Reply and ack back to back (the broker's raw ceiling)" };
        var queue = BenchOptions.With("--queue", "bench_rpc_queue", "The request queue, which must exist");
        var connection = BenchOptions.Connection();
        var command = new Command("ceiling", $"A ceiling reference consumer, started by plan: answers every request with '{DefaultReply}' and the correlation id, then acks, at prefetch 1.")
        {
            confirms, noConfirms, queue, connection,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(confirms) == result.GetValue(noConfirms))
            {
                result.AddError("give one of --confirms and --no-confirms");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(confirms), parseResult.GetValue(queue)!, parseResult.Broker(connection), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(bool withConfirms, string queue, string uri, CancellationToken interrupted)
    {
        // Ctrl+C cancels the token System.CommandLine gives; SIGTERM (how plan stops it) would end the process at once.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stopping.Cancel(); });
        var stop = stopping.Token;
        var kind = withConfirms ? "confirms" : "no-confirms";
        await using var connection = await RabbitConnection.CreateFactory(uri, "fibrpc-ceiling-" + kind).CreateConnectionAsync(stop).ConfigureAwait(false);
        // One publish in flight at a time: the outstanding-confirm rate limiter could never throttle, so it is left out.
        var channelOptions = new CreateChannelOptions(publisherConfirmationsEnabled: withConfirms, publisherConfirmationTrackingEnabled: withConfirms, outstandingPublisherConfirmationsRateLimiter: null);
        await using var channel = await connection.CreateChannelAsync(channelOptions, stop).ConfigureAwait(false);
        await channel.QueueDeclarePassiveAsync(queue, stop).ConfigureAwait(false);
        await channel.BasicQosAsync(0, 1, global: false, stop).ConfigureAwait(false);
        var consumer = new CeilingConsumer(channel, Encoding.UTF8.GetBytes(DefaultReply));
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stop).ConfigureAwait(false);
        Console.WriteLine($"ceiling ({kind}, prefetch 1) consuming '{queue}', replying '{DefaultReply}'");

        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        await channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine($"ceiling ({kind}) stopped after {consumer.Answered} requests");
        return 0;
    }
}

/// <summary>
/// The least a consumer of the RPC pattern can do: answer every request with the same constant reply, echoing
/// the correlation id, then ack. With confirms on, its channel tracks publisher confirms, so the publish returns
/// only once the broker has confirmed the reply and the ack follows it: the same guarantee as the service. Without,
/// reply and ack leave back to back: the broker's raw ceiling for this pattern at this prefetch.
/// </summary>
internal sealed class CeilingConsumer(IChannel channel, ReadOnlyMemory<byte> reply) : AsyncDefaultBasicConsumer(channel)
{
    private long _answered;

    public long Answered => Interlocked.Read(ref _answered);

    public override async Task HandleBasicDeliverAsync(
        string consumerTag,
        ulong deliveryTag,
        bool redelivered,
        string exchange,
        string routingKey,
        IReadOnlyBasicProperties properties,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default)
    {
        if (properties.ReplyTo is { Length: > 0 } replyTo)
        {
            var replyProperties = new BasicProperties { CorrelationId = properties.CorrelationId, ContentType = "text/plain" };
            await Channel.BasicPublishAsync(string.Empty, replyTo, mandatory: false, replyProperties, reply, cancellationToken).ConfigureAwait(false);
        }

        await Channel.BasicAckAsync(deliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _answered);
    }
}

using System.Collections.Concurrent;
using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.Engine;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using FibRpc.Service.Handling;
using FibRpc.Topology;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests;

/// <summary>The local trigger host keeps the Functions trigger's contract: prefetch, ack after return, retries, dead-letter, drain.</summary>
public sealed class TriggerContractTests(Broker broker) : BrokerTest(broker, "trigger")
{
    private async Task PublishRequestsAsync(int count, string replyTo)
    {
        await using var channel = await Broker.Connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        for (var i = 0; i < count; i++)
        {
            var properties = new BasicProperties { ReplyTo = replyTo, CorrelationId = $"r-{i}" };
            await channel.BasicPublishAsync(string.Empty, Queue, mandatory: true, properties, "20"u8.ToArray());
        }
    }

    [InProcessFact]
    public async Task Handler_failure_is_attempted_5_times_then_lands_in_the_dead_letterQueue()
    {
        var replies = await DeclareReplyQueueAsync();
        FailingReplies? failing = null;
        await using var service = await ServiceUnderTest.StartAsync(Queue, services =>
        {
            services.AddSingleton<IConfirmedPublisher>(provider => failing = new FailingReplies(provider.GetRequiredService<ConfirmedPublisher>(), Queue));
        }, settings: new Dictionary<string, string?> { ["FibRpc:ReplyPublishAttempts"] = "1" });

        await using (var channel = await Broker.Connection.CreateChannelAsync())
        {
            var properties = new BasicProperties { ReplyTo = replies, CorrelationId = "doomed", MessageId = "m-doomed" };
            await channel.BasicPublishAsync(string.Empty, Queue, mandatory: true, properties, "9"u8.ToArray());
        }

        var deadLetters = RpcNames.DeadLetterQueueFor(Queue);
        await Eventually.TrueAsync(async () => await Broker.ReadyCountAsync(deadLetters) == 1, "the request is dead-lettered");
        await Task.Delay(300);

        Assert.Equal(5, failing!.Attempts);
        Assert.Equal(0u, await Broker.ReadyCountAsync(Queue));
        Assert.Equal(0u, await Broker.ReadyCountAsync(replies));
        var dead = await Broker.GetAsync(deadLetters);
        Assert.NotNull(dead);
        Assert.Equal("doomed", dead.BasicProperties.CorrelationId);
        Assert.Equal("9", System.Text.Encoding.ASCII.GetString(dead.Body.Span));

        // The last republished copy carried the count of earlier attempts, as the Functions host writes it.
        Assert.Equal(4, Convert.ToInt32(dead.BasicProperties.Headers![RpcNames.RequeueCountHeader], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(dead.BasicProperties.Headers.ContainsKey("x-death"), "the broker dead-lettered it (x-death header)");
        await using var cleanup = await Broker.Connection.CreateChannelAsync();
        await cleanup.QueueDeleteAsync(replies);
    }

    [InProcessFact]
    public async Task Prefetch_1_holds_never_more_than_one_unacked_delivery()
    {
        // While each request is computed, the broker still holds ready exactly the requests not yet delivered:
        // the one in hand is the only one out.
        const int count = 12;
        var probe = await ServeWithProbeAsync(count, prefetch: 1);
        Assert.Equal(Enumerable.Range(0, count).Select(k => (uint)(count - k - 1)), probe.ReadyWhileComputing);

        // The same probe with prefetch 2 sees a second delivery out: the check above can fail.
        Assert.Equal((uint)(6 - 2), (await ServeWithProbeAsync(6, prefetch: 2)).ReadyWhileComputing.First());
    }

    /// <summary>Queues the requests first, then serves them all with an engine that samples the broker's ready count.</summary>
    private async Task<ProbingEngine> ServeWithProbeAsync(int count, ushort prefetch)
    {
        var replies = await DeclareReplyQueueAsync();
        await PublishRequestsAsync(count, replies);
        var probe = new ProbingEngine(() => Broker.ReadyCountAsync(Queue).GetAwaiter().GetResult());
        // No warm-up: it would compute with the probing engine before any request.
        await using (await ServiceUnderTest.StartAsync(Queue, services => services.AddSingleton<IFibonacciEngine>(probe), prefetch: prefetch, warmUp: false))
        {
            await Eventually.TrueAsync(async () => await Broker.ReadyCountAsync(replies) == count, "every request is answered");
        }

        await using var cleanup = await Broker.Connection.CreateChannelAsync();
        await cleanup.QueueDeleteAsync(replies);
        return probe;
    }

    [InProcessFact]
    public async Task Stopping_lets_the_request_in_flight_be_answered_and_acked()
    {
        var gate = new GatedEngine();
        // No warm-up: it would wait at the gate.
        await using var service = await ServiceUnderTest.StartAsync(Queue, services => services.AddSingleton<IFibonacciEngine>(gate), warmUp: false);
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = Queue });

        var call = client.CallAsync(30);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var stopping = service.StopAsync();
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted, "stop waits for the request in flight");

        gate.Release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("832040", await call.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0u, await Broker.ReadyCountAsync(Queue));
        // A quorum queue forgets a cancelled consumer when its log applies the cancel, a moment after cancel-ok.
        await Eventually.TrueAsync(async () => await Broker.ConsumerCountAsync(Queue) == 0, "the stopped host's consumer is gone", TimeSpan.FromSeconds(5));
    }

    /// <summary>Makes every reply fail to publish (as if the broker never confirmed), but lets retries be republished.</summary>
    private sealed class FailingReplies(IConfirmedPublisher inner, string requestQueue) : IConfirmedPublisher
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task<PublishOutcome> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            if (queue == requestQueue || queue.StartsWith(RequestService.WarmUpQueuePrefix, StringComparison.Ordinal))
            {
                // The trigger's retry copies, and the start-up warm-up, go through unharmed.
                return inner.PublishAsync(queue, mandatory, properties, body, cancellationToken);
            }

            Interlocked.Increment(ref _attempts);
            throw new PublishFailedException(PublishFailure.TimedOut, "simulated: the broker did not confirm the reply");
        }
    }

    private sealed class ProbingEngine(Func<uint> readyCount) : IFibonacciEngine
    {
        public ConcurrentQueue<uint> ReadyWhileComputing { get; } = new();

        public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
        {
            // Watch the queue for a while and keep the lowest count: if the prefetch allowed another delivery, the
            // broker makes it within this window, however slow the machine is at the moment.
            var lowest = readyCount();
            for (var sample = 0; sample < 10; sample++)
            {
                Thread.Sleep(10);
                lowest = Math.Min(lowest, readyCount());
            }

            ReadyWhileComputing.Enqueue(lowest);
            return new FibonacciEngine().ComputeDecimal(n, cancellationToken);
        }
    }

    private sealed class GatedEngine : IFibonacciEngine
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            Release.Task.Wait(cancellationToken);
            return new FibonacciEngine().ComputeDecimal(n, cancellationToken);
        }
    }
}

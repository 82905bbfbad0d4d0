using FibRpc.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.IntegrationTests.Bench;

/// <summary>The benchmarks' readiness check (tests/Shared, used by the run plan and the capacity table): it waits for the broker to count consumers, and fails fast when a process dies.</summary>
public sealed class ConsumerReadinessTests(Broker broker) : BrokerTest(broker, "readiness")
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [InProcessFact]
    public async Task Waits_until_the_broker_counts_the_consumers()
    {
        var ready = ConsumerReadiness.WaitAsync(Broker.Connection, Queue, 2, static () => null, Generous, CancellationToken.None);
        await using var channel = await Broker.Connection.CreateChannelAsync();
        await channel.BasicConsumeAsync(Queue, autoAck: false, new AsyncEventingBasicConsumer(channel));

        // One consumer of two: the wait must still be going after several polls.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(ready.IsCompleted, "readiness reported with one consumer of two");

        await channel.BasicConsumeAsync(Queue, autoAck: false, new AsyncEventingBasicConsumer(channel));
        await ready.WaitAsync(Generous);
    }

    [InProcessFact]
    public async Task Fails_with_the_reason_when_a_process_exits_before_its_consumer_attaches()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ConsumerReadiness.WaitAsync(Broker.Connection, Queue, 1, static () => "serve exited with code 3", Generous, CancellationToken.None).WaitAsync(Generous));
        Assert.Contains("0 of 1 consumers", error.Message, StringComparison.Ordinal);
        Assert.Contains("serve exited with code 3", error.Message, StringComparison.Ordinal);
    }

    [InProcessFact]
    public async Task Times_out_when_no_consumer_comes()
    {
        await Assert.ThrowsAsync<TimeoutException>(() =>
            ConsumerReadiness.WaitAsync(Broker.Connection, Queue, 1, static () => null, TimeSpan.FromMilliseconds(300), CancellationToken.None).WaitAsync(Generous));
    }
}

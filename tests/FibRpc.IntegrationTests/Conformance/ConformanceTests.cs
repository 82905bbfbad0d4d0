using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.IntegrationTests.Conformance;

/// <summary>
/// One conformance suite, two hosts: every scenario of the outcome table (docs/reliability.md) runs through
/// <c>fibrpc serve</c>'s local trigger host and through the function's entry under an imitation of the Functions
/// host's RabbitMQ listener, against the real broker. Each ends in what the table says, the same under both hosts
/// unless the table says why; nothing is lost (a request neither answered, refused by the rules, nor dead-lettered),
/// and the Functions host is never left stalled. With FIBRPC_CONFORMANCE_REPORT set, each run appends its row
/// (lost, duplicates, answer or error) to that file.
/// </summary>
public sealed class ConformanceTests(Broker broker) : BrokerTest(broker, "conformance")
{
    public static TheoryData<string, HostKind> Cases()
    {
        var cases = new TheoryData<string, HostKind>();
        foreach (var scenario in ConformanceScenario.All)
        {
            cases.Add(scenario.Name, HostKind.Serve);
            cases.Add(scenario.Name, HostKind.Function);
        }

        return cases;
    }

    [InProcessTheory]
    [MemberData(nameof(Cases))]
    public async Task Each_request_ends_as_the_outcome_table_says_under_both_hosts(string name, HostKind host)
    {
        var scenario = ConformanceScenario.All.Single(s => s.Name == name);
        var expected = scenario.For(host);
        await using var caller = await Broker.Connection.CreateChannelAsync();
        var replies = new ConcurrentQueue<string>();
        var replyTo = await ReplyPathAsync(caller, scenario, replies);

        var properties = new BasicProperties { ReplyTo = replyTo, CorrelationId = "c-" + scenario.Name.Length };
        scenario.Properties?.Invoke(properties);
        await caller.BasicPublishAsync(string.Empty, Queue, mandatory: false, properties, Encoding.UTF8.GetBytes(scenario.Body));
        if (scenario.RedeliverFirst || (scenario.CrashOnce && host == HostKind.Serve))
        {
            await ReturnOnceAsync();
        }

        Action<IServiceCollection>? replace = scenario.Fault == Fault.None
            ? null
            : services => services.AddSingleton<IConfirmedPublisher>(provider => new FaultyPublisher(provider.GetRequiredService<ConfirmedPublisher>(), scenario.Fault));
        var deadLetters = RpcNames.DeadLetterQueueFor(Queue);
        int stalled;
        var logs = "";
        await using (var running = await HostsUnderTest.StartAsync(host, Queue, replace,
            crashFirstInvocations: scenario.CrashOnce && host == HostKind.Function ? 1 : 0,
            corruptBindingData: scenario.Unreadable && host == HostKind.Function))
        {
            await Eventually.TrueAsync(async () =>
                    running.Stalled > 0
                    || (expected.Reply is not null ? !replies.IsEmpty : running.Settled >= 1)
                    && await Broker.ReadyCountAsync(deadLetters) >= expected.DeadLettered
                    && await Broker.ReadyCountAsync(Queue) == 0,
                $"{name} under {host} ends: {expected}", TimeSpan.FromSeconds(60));
            // Time for a duplicate or a late retry to show.
            await Task.Delay(500);
            stalled = running.Stalled;
            logs = string.Join('\n', running.Logs.Entries.Select(entry => $"{entry.Level}: {entry.Message}"));
        }

        var received = replies.ToList();
        var deadLettered = await Broker.ReadyCountAsync(deadLetters);
        var left = await Broker.ReadyCountAsync(Queue);
        // Lost: neither answered, nor dead-lettered, nor dropped by a rule about the request itself (no reply_to, a
        // refused reply_to, an expired request): a fault that ends in nothing at all is a loss.
        var dropped = received.Count == 0 && deadLettered == 0 && (expected.Reply is not null || scenario.Fault != Fault.None);
        var lost = left + (uint)stalled + (dropped ? 1u : 0u);
        await ReportAsync(scenario, host, received, deadLettered, lost);

        Assert.True(stalled == 0, $"{name} under {host}: the Functions host's consumer would stall on this delivery");
        Assert.True(left == 0, $"{name} under {host}: {left} request(s) left in the queue");
        Assert.True(expected.Reply is null ? received.Count == 0 : received.Count >= 1 && received.All(reply => reply == expected.Reply),
            $"{name} under {host}: expected {expected}, the caller received [{string.Join(", ", received)}]. Log:\n{logs}");
        Assert.True(expected.DeadLettered == deadLettered, $"{name} under {host}: expected {expected.DeadLettered} dead-lettered, found {deadLettered}. Log:\n{logs}");
    }

    /// <summary>Declares the caller's reply path, consuming replies into <paramref name="replies"/>; returns the reply_to to send.</summary>
    private async Task<string?> ReplyPathAsync(IChannel caller, ConformanceScenario scenario, ConcurrentQueue<string> replies)
    {
        if (scenario.Path == ReplyPath.Given)
        {
            return scenario.ReplyTo?.Replace("{queue}", Queue, StringComparison.Ordinal);
        }

        var replyTo = scenario.Path switch
        {
            ReplyPath.DirectReplyTo => RpcNames.DirectReplyTo,
            ReplyPath.OwnExclusive => (await caller.QueueDeclareAsync("aioamqp.gen-" + Guid.NewGuid(), durable: false, exclusive: true, autoDelete: true)).QueueName,
            ReplyPath.Full => (await caller.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true,
                arguments: new Dictionary<string, object?> { ["x-max-length"] = 0, ["x-overflow"] = "reject-publish" })).QueueName,
            _ => (await caller.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName,
        };

        var consumer = new AsyncEventingBasicConsumer(caller);
        consumer.ReceivedAsync += (_, reply) =>
        {
            var code = reply.BasicProperties.Headers?.TryGetValue(RpcNames.ErrorCodeHeader, out var value) == true && value is byte[] bytes
                ? Encoding.UTF8.GetString(bytes)
                : null;
            replies.Enqueue(code is null ? Encoding.UTF8.GetString(reply.Body.Span) : "error:" + code);
            return Task.CompletedTask;
        };
        await caller.BasicConsumeAsync(replyTo, autoAck: true, consumer);
        return replyTo;
    }

    /// <summary>Takes the request and gives it back unsettled, as a host that died would: the broker redelivers it with <c>redelivered</c>.</summary>
    private async Task ReturnOnceAsync()
    {
        await using var channel = await Broker.Connection.CreateChannelAsync();
        BasicGetResult? taken = null;
        await Eventually.TrueAsync(async () => (taken = await channel.BasicGetAsync(Queue, autoAck: false)) is not null, "the request is queued");
        await channel.BasicNackAsync(taken!.DeliveryTag, multiple: false, requeue: true);
    }

    private static async Task ReportAsync(ConformanceScenario scenario, HostKind host, List<string> received, uint deadLettered, uint lost)
    {
        if (Environment.GetEnvironmentVariable("FIBRPC_CONFORMANCE_REPORT") is not { Length: > 0 } path)
        {
            return;
        }

        var answer = received.Count == 0 ? "nothing" : received[0];
        var line = string.Create(CultureInfo.InvariantCulture,
            $"| {scenario.Name} | {host} | {answer} | {deadLettered} | {lost} | {Math.Max(0, received.Count - 1)} |{Environment.NewLine}");
        // The rows of one class run one after another (xunit), so appends never interleave.
        await File.AppendAllTextAsync(path, line);
    }
}

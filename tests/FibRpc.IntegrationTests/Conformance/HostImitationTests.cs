using System.Text;
using System.Text.Json;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using FibRpc.Service.Replies;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests.Conformance;

/// <summary>The conformance suite's own footing: the imitation writes binding data as the host does, and the reply-queue check asks the broker once.</summary>
public sealed class HostImitationTests(Broker broker) : BrokerTest(broker, "imitation")
{
    private static string FixtureProperties(string name)
    {
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "binding-data.jsonl")))
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.GetProperty("case").GetString() == name)
            {
                return document.RootElement.GetProperty("BasicProperties").GetString()!;
            }
        }

        throw new InvalidOperationException($"no fixture {name}");
    }

    [Fact]
    public void The_imitation_writes_BasicProperties_exactly_as_the_Functions_host_does()
    {
        var properties = new BasicProperties
        {
            ContentType = "text/plain",
            DeliveryMode = DeliveryModes.Persistent,
            CorrelationId = "c-1",
            ReplyTo = "amq.gen-abc",
            Expiration = "60000",
            MessageId = "m-1",
            Timestamp = new AmqpTimestamp(1795000000),
            Headers = new Dictionary<string, object?>
            {
                ["traceparent"] = Encoding.UTF8.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                [RpcNames.RequeueCountHeader] = 2,
                ["x-custom-long"] = 1234567890123L,
                ["x-flag"] = true,
            },
        };
        Assert.Equal(FixtureProperties("retried-with-traceparent"), HostBindingData.Json(properties));
        Assert.Equal(FixtureProperties("minimal"), HostBindingData.Json(new BasicProperties { CorrelationId = "3f1c2a9e-5a7b-4f0e-9d4c-2b8e6f1a0c77", ReplyTo = "amq.gen-Jzd7eQbJ1qkE0n3Xg2Z1bA" }));
    }

    [Fact]
    public async Task A_reply_queue_is_judged_by_what_it_is_and_each_name_is_asked_once()
    {
        await using var connection = new RabbitConnection(Broker.Uri, "inspector-test", NullLogger<RabbitConnection>.Instance);
        await using var inspector = new ReplyQueueInspector(connection, TimeProvider.System, NullLogger<ReplyQueueInspector>.Instance);
        await using var caller = await Broker.Connection.CreateChannelAsync();
        var own = (await caller.QueueDeclareAsync("aioamqp.gen-" + Guid.NewGuid(), durable: false, exclusive: true, autoDelete: true)).QueueName;
        var shared = (await caller.QueueDeclareAsync("shared." + Guid.NewGuid(), durable: false, exclusive: false, autoDelete: true)).QueueName;

        Assert.Equal(ReplyQueueKind.ExclusiveToCaller, await inspector.InspectAsync(own, CancellationToken.None));
        Assert.Equal(ReplyQueueKind.Shared, await inspector.InspectAsync(shared, CancellationToken.None));
        Assert.Equal(ReplyQueueKind.Missing, await inspector.InspectAsync("nobody." + Guid.NewGuid(), CancellationToken.None));
        Assert.Equal(3, inspector.Inspections);

        // Cached: asked again, the broker is not asked again (a 405 closes the inspector's channel each time).
        Assert.Equal(ReplyQueueKind.ExclusiveToCaller, await inspector.InspectAsync(own, CancellationToken.None));
        Assert.Equal(ReplyQueueKind.Shared, await inspector.InspectAsync(shared, CancellationToken.None));
        Assert.Equal(3, inspector.Inspections);
        await caller.QueueDeleteAsync(shared);
    }
}

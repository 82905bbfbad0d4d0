using System.Text;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests;

/// <summary>
/// Requests that once wedged or looped the service, published as a hostile client would, against the real broker:
/// every one is settled, none stops the requests behind it, and replies carry only what the contract says.
/// </summary>
public sealed class PoisonRequestTests(Broker broker) : BrokerTest(broker, "poison")
{
    private async Task PublishAsync(string correlationId, string? replyTo, IDictionary<string, object?>? headers = null, string body = "10")
    {
        await using var channel = await Broker.Connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties { CorrelationId = correlationId, ReplyTo = replyTo, Headers = headers };
        await channel.BasicPublishAsync(string.Empty, Queue, mandatory: true, properties, Encoding.ASCII.GetBytes(body));
    }

    private async Task<BasicGetResult> ReplyAsync(string replies)
    {
        BasicGetResult? reply = null;
        await Eventually.TrueAsync(async () => (reply = await Broker.GetAsync(replies)) is not null, $"a reply arrives in {replies}", TimeSpan.FromSeconds(10));
        return reply!;
    }

    [InProcessFact]
    public async Task Hostile_reply_tos_cost_neither_the_consumer_nor_a_strangers_queue_and_replies_carry_only_the_contract()
    {
        await using var service = await ServiceUnderTest.StartAsync(Queue);
        var replies = await DeclareReplyQueueAsync();
        var stranger = "stranger." + Guid.NewGuid().ToString("N");
        await using (var channel = await Broker.Connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(stranger, durable: false, exclusive: false, autoDelete: true);
        }

        for (var i = 0; i < 3; i++)
        {
            await PublishAsync($"inject-{i}", stranger);
        }

        // Looks like a direct reply-to name but names no live channel: RabbitMQ closes the publishing connection.
        await PublishAsync("forged", "amq.rabbitmq.reply-to.g2dkAA5jaGFvc0Bsb2NhbGhvc3QAAAAAAAAAAAAAAAA=.Zm9v");

        // The requests behind them are answered, with exactly the contract's properties and headers.
        await PublishAsync("ok", replies, body: "12");
        var success = await ReplyAsync(replies);
        Assert.Equal("144", Encoding.ASCII.GetString(success.Body.Span));
        Assert.Equal(("text/plain", "ok", (string?)null), (success.BasicProperties.ContentType, success.BasicProperties.CorrelationId, success.BasicProperties.Type));
        Assert.True(success.BasicProperties.Headers is null or { Count: 0 }, $"a success reply has no headers, not [{string.Join(", ", success.BasicProperties.Headers?.Keys ?? [])}]");

        await PublishAsync("bad", replies, body: "-1");
        var error = await ReplyAsync(replies);
        Assert.Equal(RpcNames.ErrorReplyType, error.BasicProperties.Type);
        Assert.Equal([RpcNames.ErrorCodeHeader], error.BasicProperties.Headers!.Keys.Order());
        Assert.Equal(RpcErrorCodes.Negative, Encoding.UTF8.GetString((byte[])error.BasicProperties.Headers[RpcNames.ErrorCodeHeader]!));

        // The ack follows the reply's confirm: wait for it rather than race it.
        await Eventually.TrueAsync(() => Task.FromResult(service.Host.Handled == 6), "every request is settled");
        await Task.Delay(300);
        Assert.Equal(6, service.Host.Handled);
        Assert.Equal(0u, await Broker.ReadyCountAsync(Queue));
        Assert.Equal(0u, await Broker.ReadyCountAsync(RpcNames.DeadLetterQueueFor(Queue)));
        Assert.Equal(0u, await Broker.ReadyCountAsync(stranger));
        Assert.True(service.Logs.Entries.Any(entry => entry.Message.Contains("forged", StringComparison.Ordinal) && entry.Message.Contains("refused by the broker", StringComparison.Ordinal)),
            "the refused reply is logged with its correlation id");
        Assert.True(service.Logs.Entries.Any(entry => entry.Message.Contains(stranger, StringComparison.Ordinal) && entry.Message.Contains("inject-2", StringComparison.Ordinal)),
            "each refusal is logged with the refused name and the correlation id");
        Assert.Equal(1u, await Broker.ConsumerCountAsync(Queue));
        await using var cleanup = await Broker.Connection.CreateChannelAsync();
        await cleanup.QueueDeleteAsync(stranger);
    }
}

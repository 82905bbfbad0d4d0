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

    /// <summary>Waits for a reply in a plain queue of the test's.</summary>
    private async Task<BasicGetResult> ReplyAsync(string replies)
    {
        BasicGetResult? reply = null;
        await Eventually.TrueAsync(async () => (reply = await Broker.GetAsync(replies)) is not null, $"a reply arrives in {replies}", TimeSpan.FromSeconds(10));
        return reply!;
    }

    [InProcessFact]
    public async Task A_forged_direct_reply_to_costs_only_the_replies_connection_never_the_consumer()
    {
        await using var service = await ServiceUnderTest.StartAsync(Queue);
        var replies = await DeclareReplyQueueAsync();

        // Looks like a direct reply-to name but names no live channel: RabbitMQ closes the publishing connection.
        await PublishAsync("forged", "amq.rabbitmq.reply-to.g2dkAA5jaGFvc0Bsb2NhbGhvc3QAAAAAAAAAAAAAAAA=.Zm9v");
        await PublishAsync("after", replies);

        var reply = await ReplyAsync(replies);
        Assert.Equal("after", reply.BasicProperties.CorrelationId);
        Assert.Equal("55", Encoding.ASCII.GetString(reply.Body.Span));

        // The ack follows the reply's confirm: wait for it rather than race it.
        await Eventually.TrueAsync(() => Task.FromResult(service.Host.Handled == 2), "both requests are settled");
        await Task.Delay(300);
        Assert.Equal(2, service.Host.Handled);
        Assert.Equal(0u, await Broker.ReadyCountAsync(Queue));
        Assert.Equal(0u, await Broker.ReadyCountAsync(RpcNames.DeadLetterQueueFor(Queue)));
        Assert.True(service.Logs.Contains("forged") && service.Logs.Contains("refused by the broker"), "the refused reply is logged with its correlation id");
        Assert.Equal(1u, await Broker.ConsumerCountAsync(Queue));
    }

    [InProcessFact]
    public async Task A_reply_to_a_strangers_queue_is_refused_and_leaves_that_queue_empty()
    {
        await using var service = await ServiceUnderTest.StartAsync(Queue);
        var stranger = "stranger." + Guid.NewGuid().ToString("N");
        await using (var channel = await Broker.Connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(stranger, durable: false, exclusive: false, autoDelete: true);
        }

        var replies = await DeclareReplyQueueAsync();
        for (var i = 0; i < 3; i++)
        {
            await PublishAsync($"inject-{i}", stranger);
        }

        await PublishAsync("legit", replies);
        Assert.Equal("legit", (await ReplyAsync(replies)).BasicProperties.CorrelationId);
        Assert.Equal(0u, await Broker.ReadyCountAsync(stranger));
        Assert.True(service.Logs.Contains(stranger) && service.Logs.Contains("inject-2"), "each refusal is logged with the refused name and the correlation id");
        Assert.Equal(0u, await Broker.ReadyCountAsync(Queue));
        await using var cleanup = await Broker.Connection.CreateChannelAsync();
        await cleanup.QueueDeleteAsync(stranger);
    }

    [InProcessFact]
    public async Task Replies_carry_exactly_the_contracts_properties_and_headers()
    {
        await using var service = await ServiceUnderTest.StartAsync(Queue);
        var replies = await DeclareReplyQueueAsync();

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
    }
}

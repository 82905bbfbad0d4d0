using System.Text;
using FibRpc.Client;
using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests;

/// <summary>
/// The wire contract as a client sees it, needing nothing but the request queue: answers in both reply modes, error
/// replies, prefetch 1 as the broker reports it, and the loop guard. By default against the service in-process on a
/// queue of its own; with FIBRPC_TEST_SERVER_QUEUE against whatever server consumes that queue (fibrpc serve, or the
/// Functions host under func start).
/// </summary>
public sealed class WireContractTests(Broker broker) : IAsyncLifetime, IClassFixture<Broker>
{
    private ServiceUnderTest? _service;
    private string _queue = "";

    public async Task InitializeAsync()
    {
        if (ExternalServer.Queue is { } queue)
        {
            _queue = queue;
            await ExternalServer.AssertConsumedAsync(broker, queue);
            return;
        }

        _queue = await broker.DeclareTopologyAsync("contract");
        _service = await ServiceUnderTest.StartAsync(_queue);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
            await broker.DeleteTopologyAsync(_queue);
        }
    }

    [Theory]
    [InlineData(ReplyQueueMode.DirectReplyTo)]
    [InlineData(ReplyQueueMode.ExclusiveQueue)]
    public async Task Concurrent_answers_are_exact_and_matched_by_correlation_id_in_both_reply_modes(ReplyQueueMode mode)
    {
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = _queue, ReplyQueue = mode, Timeout = TimeSpan.FromSeconds(30) });
        var random = new Random(20261123);
        int[] ns = [0, 1, 2, 10, 92, 93, 94, 1000, 10_000, 100_000, .. Enumerable.Range(0, 300).Select(_ => random.Next(0, 3000))];
        var answers = await Task.WhenAll(ns.Select(n => client.CallAsync(n)));
        for (var i = 0; i < ns.Length; i++)
        {
            Assert.True(Reference.Fibonacci(ns[i]) == answers[i], $"F({ns[i]}) came back wrong: {answers[i][..Math.Min(40, answers[i].Length)]}...");
        }

        Assert.Equal(0, client.UnmatchedReplies);
        Assert.Equal(ns.Length, _service?.Host.Handled ?? ns.Length);
    }

    /// <summary>The body is the row's text in Latin-1, so that a row can hold bytes that are not UTF-8.</summary>
    [Theory]
    [InlineData("", RpcErrorCodes.EmptyRequest)]
    [InlineData("   ", RpcErrorCodes.EmptyRequest)]
    [InlineData("abc", RpcErrorCodes.NotANumber)]
    [InlineData("1.5", RpcErrorCodes.NotANumber)]
    [InlineData("-7", RpcErrorCodes.Negative)]
    [InlineData("1000001", RpcErrorCodes.TooLarge)]
    [InlineData("99999999999999999999", RpcErrorCodes.TooLarge)]
    [InlineData("77777777777777777777777777777777777777777777777777777777777777777", RpcErrorCodes.BodyTooLarge)]
    [InlineData("\u00C3(", RpcErrorCodes.NotUtf8)]
    public async Task Bad_requests_get_an_error_reply_with_the_code_and_nothing_stays_unacked(string text, string code)
    {
        var body = Encoding.Latin1.GetBytes(text);
        await using var connection = await new ConnectionFactory { Uri = new Uri(Broker.Uri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        // A server-named queue, as RabbitMQ's tutorial clients declare: allowed as a reply target by default.
        var replies = (await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        var properties = new BasicProperties { ReplyTo = replies, CorrelationId = "bad-" + code };
        await channel.BasicPublishAsync(string.Empty, _queue, mandatory: true, properties, body);

        BasicGetResult? reply = null;
        await Eventually.TrueAsync(async () => (reply = await channel.BasicGetAsync(replies, autoAck: true)) is not null, "the error reply arrives");
        Assert.Equal("bad-" + code, reply!.BasicProperties.CorrelationId);
        Assert.Equal(RpcNames.ErrorReplyType, reply.BasicProperties.Type);
        Assert.Equal(code, Encoding.UTF8.GetString((byte[])reply.BasicProperties.Headers![RpcNames.ErrorCodeHeader]!));
        Assert.StartsWith($"error {code}: ", Encoding.UTF8.GetString(reply.Body.Span), StringComparison.Ordinal);

        // The client library reads the same reply as an error with its code.
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = _queue, Timeout = TimeSpan.FromSeconds(30) });
        var error = await Assert.ThrowsAsync<FibRpcErrorReplyException>(() => client.CallRawAsync(body));
        Assert.Equal(code, error.Code);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);

        // The service still answers; stopping closes its consumer's channel, which would return any unacked delivery.
        Assert.Equal("55", await client.CallAsync(10));
        if (_service is not null)
        {
            await _service.StopAsync();
            Assert.Equal(0u, await broker.ReadyCountAsync(_queue));
            Assert.Equal(0u, await broker.ReadyCountAsync(RpcNames.DeadLetterQueueFor(_queue)));
            Assert.Equal(3, _service.Host.Handled);
        }
    }

    [Fact]
    public async Task The_broker_reports_prefetch_1_and_manual_acks_for_every_consumer()
    {
        // Observed from the broker itself (rabbitmqctl list_consumers), whichever host consumes.
        var consumers = (await Rabbitmqctl.ListAsync("list_consumers", "queue_name", "ack_required", "prefetch_count")).Where(row => row.Length >= 3 && row[0] == _queue).ToList();
        Assert.NotEmpty(consumers);
        Assert.All(consumers, row => Assert.Equal(("true", "1"), (row[1], row[2])));
    }

    [Fact]
    public async Task A_reply_to_naming_the_request_queue_never_lands_back_in_it()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Broker.Uri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicPublishAsync(string.Empty, _queue, mandatory: true, new BasicProperties { ReplyTo = _queue, CorrelationId = "ouroboros" }, "5"u8.ToArray());

        // The service goes on answering, and nothing it published sits in its own queue.
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = _queue, Timeout = TimeSpan.FromSeconds(30) });
        Assert.Equal("55", await client.CallAsync(10));
        await Task.Delay(500);
        Assert.Equal(0u, await broker.ReadyCountAsync(_queue));
    }
}

using System.Diagnostics;
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
            Assert.True(await broker.ConsumerCountAsync(queue) > 0, $"{ExternalServer.QueueVariable}={queue}, but no server consumes '{queue}' on {Broker.Uri}: start it first (scripts/run.sh, or func start in FibFunction/)");
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
    public async Task Answers_are_exact_in_both_reply_modes(ReplyQueueMode mode)
    {
        await using var client = await FibRpcClient.ConnectAsync(new FibRpcClientOptions { Connection = Broker.Uri, RequestQueue = _queue, ReplyQueue = mode, Timeout = TimeSpan.FromSeconds(30) });
        int[] ns = [0, 1, 2, 10, 92, 93, 94, 1000, 10_000, 100_000];
        var answers = await Task.WhenAll(ns.Select(n => client.CallAsync(n)));
        for (var i = 0; i < ns.Length; i++)
        {
            Assert.True(Reference.Fibonacci(ns[i]) == answers[i], $"F({ns[i]}) came back wrong");
        }
    }

    [Theory]
    [InlineData("", RpcErrorCodes.EmptyRequest)]
    [InlineData("abc", RpcErrorCodes.NotANumber)]
    [InlineData("1.5", RpcErrorCodes.NotANumber)]
    [InlineData("-7", RpcErrorCodes.Negative)]
    [InlineData("99999999999999999999", RpcErrorCodes.TooLarge)]
    public async Task Bad_requests_get_an_error_reply_with_the_code(string body, string code)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Broker.Uri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        // A server-named queue, as RabbitMQ's tutorial clients declare: allowed as a reply target by default.
        var replies = (await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        var properties = new BasicProperties { ReplyTo = replies, CorrelationId = "bad-" + code };
        await channel.BasicPublishAsync(string.Empty, _queue, mandatory: true, properties, Encoding.UTF8.GetBytes(body));

        BasicGetResult? reply = null;
        await Eventually.TrueAsync(async () => (reply = await channel.BasicGetAsync(replies, autoAck: true)) is not null, "the error reply arrives");
        Assert.Equal("bad-" + code, reply!.BasicProperties.CorrelationId);
        Assert.Equal(RpcNames.ErrorReplyType, reply.BasicProperties.Type);
        Assert.Equal(code, Encoding.UTF8.GetString((byte[])reply.BasicProperties.Headers![RpcNames.ErrorCodeHeader]!));
        Assert.StartsWith($"error {code}: ", Encoding.UTF8.GetString(reply.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_broker_reports_prefetch_1_and_manual_acks_for_every_consumer()
    {
        // Observed from the broker itself (rabbitmqctl list_consumers), whichever host consumes.
        var consumers = (await ListConsumersAsync()).Where(consumer => consumer.Queue == _queue).ToList();
        Assert.NotEmpty(consumers);
        Assert.All(consumers, consumer => Assert.Equal(("true", "1"), (consumer.AckRequired, consumer.Prefetch)));
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

    private sealed record ConsumerRow(string Queue, string AckRequired, string Prefetch);

    private static async Task<List<ConsumerRow>> ListConsumersAsync()
    {
        var start = new ProcessStartInfo("/usr/sbin/rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        // The broker's node: the development broker's by default (scripts/broker.sh), else FIBRPC_TEST_BROKER_NODE.
        var node = Environment.GetEnvironmentVariable("FIBRPC_TEST_BROKER_NODE") is { Length: > 0 } name ? name : "rabbit@localhost";
        foreach (var argument in new[] { "-n", node, "list_consumers", "-p", Broker.VirtualHost, "-q", "--no-table-headers", "queue_name", "ack_required", "prefetch_count" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start rabbitmqctl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"rabbitmqctl list_consumers failed (it must run where the broker runs): {await process.StandardError.ReadToEndAsync(timeout.Token)}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length >= 3)
            .Select(fields => new ConsumerRow(fields[0], fields[1].Trim(), fields[2].Trim()))];
    }
}

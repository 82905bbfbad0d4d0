using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.IntegrationTests;

/// <summary>The real programs: fibrpc serve as a process, and fibrpc bench against it.</summary>
[Collection(BenchClientCollection.Name)]
public sealed class ProcessTests(Broker broker) : BrokerTest(broker, "process")
{
    private ChildProcess StartServe() => new("dotnet", [FibRpcCli.Dll, "serve", "--queue", Queue, "--connection", Broker.Uri, "--shutdown-timeout", "30"]);

    [InProcessFact]
    public async Task Serve_stops_cleanly_on_SIGTERM_with_nothing_lost()
    {
        const int count = 200;
        using var serve = StartServe();
        await Eventually.TrueAsync(async () => await Broker.ConsumerCountAsync(Queue) == 1, $"fibrpc serve consumes. Output:\n{serve.Output}");

        // Requests pile up in the queue; SIGTERM arrives while they are being served.
        var replies = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await using var channel = await Broker.Connection.CreateChannelAsync();
        var consumer = new AsyncEventingBasicConsumer(channel);
        var firstReply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            Assert.True(replies.TryAdd(delivery.BasicProperties.CorrelationId!, System.Text.Encoding.ASCII.GetString(delivery.Body.Span)), "no request is answered twice");
            firstReply.TrySetResult();
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(RpcNames.DirectReplyTo, autoAck: true, consumer);
        for (var i = 0; i < count; i++)
        {
            var properties = new BasicProperties { ReplyTo = RpcNames.DirectReplyTo, CorrelationId = $"c{i}" };
            await channel.BasicPublishAsync(string.Empty, Queue, mandatory: false, properties, System.Text.Encoding.ASCII.GetBytes($"{1000 + i}"));
        }

        await firstReply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Stopped consuming", serve.Output, StringComparison.Ordinal);

        await Task.Delay(200);
        var left = await Broker.ReadyCountAsync(Queue);
        Assert.True(replies.Count + left == count, $"every request is either answered or back in the queue: {replies.Count} answered + {left} queued != {count}");
        Assert.True(replies.Count >= 1);
        foreach (var (id, answer) in replies)
        {
            Assert.Equal(Reference.Fibonacci(1000 + int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture)), answer);
        }
    }

    [InProcessFact]
    public async Task Bench_measures_the_running_service_checks_every_reply_and_fails_when_they_are_wrong()
    {
        using var serve = StartServe();
        await Eventually.TrueAsync(async () => await Broker.ConsumerCountAsync(Queue) == 1, $"fibrpc serve consumes. Output:\n{serve.Output}");

        using (var bench = new ChildProcess("dotnet", [FibRpcCli.Dll, "bench", "--queue", Queue, "--connection", Broker.Uri, "--requests", "300", "--concurrency", "4", "--mix", "10:80,2000:20", "--warmup", "0", "--json", "--no-progress"]))
        {
            Assert.True(await bench.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, bench.Output);
            using var result = System.Text.Json.JsonDocument.Parse(bench.Output[bench.Output.IndexOf('{', StringComparison.Ordinal)..]);
            var root = result.RootElement;
            Assert.Equal(300, root.GetProperty("replies").GetInt32());
            Assert.Equal(300, root.GetProperty("correct").GetInt32());
            Assert.Equal(0, root.GetProperty("wrongAnswers").GetInt32());
            Assert.True(root.GetProperty("passed").GetBoolean());
            Assert.True(root.GetProperty("requestsPerSecond").GetDouble() > 0);
        }

        // A ceiling-style check against a constant that F(n) never is: every reply counts as wrong, exit code 1.
        using (var wrong = new ChildProcess("dotnet", [FibRpcCli.Dll, "bench", "--queue", Queue, "--connection", Broker.Uri, "--requests", "20", "--warmup", "0", "--expect-constant", "not-a-fibonacci-number", "--json", "--no-progress"]))
        {
            Assert.Equal(1, await wrong.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("\"wrongAnswers\": 20", wrong.Output, StringComparison.Ordinal);
        }

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}

using System.Globalization;
using FibRpc.IntegrationTests.Infrastructure;

namespace FibRpc.IntegrationTests.Clients;

/// <summary>
/// Clients of the classic RabbitMQ RPC pattern, each written the way its library's example or RabbitMQ's tutorial six
/// writes it, call <c>fibrpc serve</c> running with its default settings (no reply queue allowed by configuration):
/// aioamqp, which names its exclusive callback queue itself (<c>aioamqp.gen-*</c>); pika and amqplib, with
/// server-named exclusive queues. Each gets the exact F(n) for every n and the error text for a bad request. They run
/// as programs (<c>Clients/python</c>, <c>Clients/node</c>). With FIBRPC_TEST_SERVER_QUEUE they call the server that
/// consumes that queue instead.
/// </summary>
public sealed class ClassicClientTests(Broker broker) : BrokerTest(broker, "clients")
{
    private const string Python = "/usr/bin/python3";
    private const string Bootstrap = "scripts/bootstrap.sh test";
    private const string BadRequest = "abc";
    private const string BadRequestReply = "error not_a_number";
    private const string ServerNamedPrefix = "amq.gen-";
    private const int CallTimeoutSeconds = 30;

    private static readonly int[] Numbers = [0, 1, 10, 30, 100, 1000];

    private static string[] Requests => [.. Numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)), BadRequest];

    private static string NodeFolder => Path.GetDirectoryName(RepositoryFiles.PathOf("tests/FibRpc.IntegrationTests/Clients/node/package.json"))!;

    /// <summary>The request queue the clients call: this test's own, served by fibrpc serve, or the running server's.</summary>
    private string RequestQueue => ExternalServer.Queue ?? Queue;

    /// <summary>aioamqp names its exclusive callback queue itself; pika's is server-named, as in tutorial six.</summary>
    [Theory]
    [InlineData("aioamqp", "aioamqp.gen-")]
    [InlineData("pika", ServerNamedPrefix)]
    public async Task A_python_client_of_the_pattern_gets_every_answer_on_its_reply_queue(string library, string replyQueuePrefix)
    {
        await RequirePythonModuleAsync(library, $"python3-{library}");
        await CallWithProgramAsync(Python, [RepositoryFiles.PathOf($"tests/FibRpc.IntegrationTests/Clients/python/{library}_rpc_client.py")], replyQueuePrefix);
    }

    [Fact]
    public async Task An_amqplib_client_of_tutorial_six_gets_every_answer()
    {
        var node = FindOnPath("node");
        Assert.True(node is not null, $"node is not on the PATH: run {Bootstrap} (it installs nodejs and npm, then amqplib for the Node client)");
        Assert.True(File.Exists(Path.Combine(NodeFolder, "node_modules", "amqplib", "package.json")),
            $"amqplib is not installed in {NodeFolder}: run {Bootstrap} (npm ci there, from its package-lock.json)");
        await CallWithProgramAsync(node, [Path.Combine(NodeFolder, "rpc_client.js")], ServerNamedPrefix);
    }

    /// <summary>Runs a client program with every request as its arguments, against the server, and checks what it printed.</summary>
    private async Task CallWithProgramAsync(string program, string[] arguments, string replyQueuePrefix)
    {
        using var serve = await StartServeAsync();
        using var client = new ChildProcess(program, [.. arguments, .. Requests], new Dictionary<string, string>
        {
            ["RABBITMQ_URL"] = Broker.Uri,
            ["FIBRPC_QUEUE"] = RequestQueue,
            ["FIBRPC_CALL_TIMEOUT"] = CallTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        });
        var exitCode = await client.WaitForExitAsync(TimeSpan.FromSeconds(CallTimeoutSeconds * (Requests.Length + 2)));
        var context = $"\nClient output:\n{client.Output}{ServerOutput(serve)}";
        Assert.True(exitCode == 0, $"{Path.GetFileName(arguments[0])} exited with {exitCode}.{context}");

        var lines = client.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var replyQueue = lines.FirstOrDefault(line => line.StartsWith("reply_to ", StringComparison.Ordinal))?["reply_to ".Length..];
        Assert.True(replyQueue?.StartsWith(replyQueuePrefix, StringComparison.Ordinal) == true, $"the client's reply queue is named {replyQueuePrefix}*.{context}");

        var replies = new Dictionary<string, string>();
        foreach (var line in lines.Where(line => line.StartsWith("F(", StringComparison.Ordinal)))
        {
            var close = line.IndexOf(") = ", StringComparison.Ordinal);
            Assert.True(close > 0, $"an answer line reads 'F(n) = reply': {line}{context}");
            Assert.True(replies.TryAdd(line[2..close], line[(close + ") = ".Length)..]), $"one answer per request: {line}{context}");
        }

        AssertAnswers(replies, context);
        if (serve is not null)
        {
            serve.Terminate();
            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    /// <summary>Every request answered: F(n) exactly as the reference computes it, and the bad request's error text.</summary>
    private static void AssertAnswers(IReadOnlyDictionary<string, string> replies, string context)
    {
        foreach (var n in Numbers)
        {
            var request = n.ToString(CultureInfo.InvariantCulture);
            Assert.True(replies.TryGetValue(request, out var reply), $"no answer to {request}.{context}");
            Assert.True(Reference.Fibonacci(n) == reply, $"F({n}) came back as '{reply}', not {Reference.Fibonacci(n)}.{context}");
        }

        Assert.True(replies.TryGetValue(BadRequest, out var error), $"no answer to '{BadRequest}'.{context}");
        Assert.True(error.StartsWith(BadRequestReply, StringComparison.Ordinal), $"'{BadRequest}' came back as '{error}', not '{BadRequestReply}: ...'.{context}");
        Assert.True(Requests.Length == replies.Count, $"one answer per request, and no other: {string.Join(", ", replies.Keys)}.{context}");
    }

    /// <summary>fibrpc serve on this test's queue with its default settings, consuming; none with FIBRPC_TEST_SERVER_QUEUE.</summary>
    private async Task<ChildProcess?> StartServeAsync()
    {
        if (ExternalServer.Queue is { } queue)
        {
            await ExternalServer.AssertConsumedAsync(Broker, queue);
            return null;
        }

        var serve = new ChildProcess("dotnet", [FibRpcCli.Dll, "serve", "--queue", Queue, "--connection", Broker.Uri]);
        await Eventually.TrueAsync(async () => await Broker.ConsumerCountAsync(Queue) == 1, $"fibrpc serve consumes {Queue}. Output:\n{serve.Output}");
        return serve;
    }

    private static string ServerOutput(ChildProcess? serve) => serve is null ? "" : $"\nfibrpc serve output:\n{serve.Output}";

    private static async Task RequirePythonModuleAsync(string module, string package)
    {
        Assert.True(File.Exists(Python), $"Debian's {Python} is missing: run {Bootstrap} (apt-get install python3 {package})");
        using var check = new ChildProcess(Python, ["-c", $"import {module}"]);
        Assert.True(await check.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, $"{Python} cannot import {module}: run {Bootstrap} (it installs {package})\n{check.Output}");
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}

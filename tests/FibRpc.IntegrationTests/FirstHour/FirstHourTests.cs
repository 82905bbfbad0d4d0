using System.Net;
using FibRpc.IntegrationTests.Infrastructure;

namespace FibRpc.IntegrationTests.FirstHour;

/// <summary>
/// The first hour of a person with this repository: the README's quickstart commands as typed, mistakes on the
/// command line and in the settings, every command's --help, a wrong password, a broker that is down. What they read
/// must be a person's words: answers, or one line per error that says what happened, which setting, and what to do.
/// Each test declares its own request queue (BrokerTest) and points serve at it with FibRpc__RequestQueue, the
/// documented setting.
/// </summary>
public sealed class FirstHourTests(Broker broker) : BrokerTest(broker, "firsthour")
{
    private Dictionary<string, string> Settings(string? connection = null) => new()
    {
        ["RabbitMQConnection"] = connection ?? Broker.Uri,
        ["FibRpc__RequestQueue"] = Queue,
    };

    private async Task<ChildProcess> StartServeAsync(params string[] arguments)
    {
        var serve = Newcomer.Start("fibrpc", ["serve", .. arguments], Settings());
        await Eventually.TrueAsync(async () => serve.HasExited || await Broker.ConsumerCountAsync(Queue) == 1, $"fibrpc serve consumes {Queue}. Output:\n{serve.Output}", TimeSpan.FromMinutes(3));
        Assert.False(serve.HasExited, $"fibrpc serve stopped:\n{serve.Output}");
        return serve;
    }

    [InProcessFact]
    public async Task The_quickstart_call_prints_the_answers_of_a_serve_that_reads_FibRpc__RequestQueue()
    {
        using var serve = await StartServeAsync();

        var (exitCode, output) = await Newcomer.RunAsync("fibrpc", ["call", "--queue", Queue, "10", "30", "100"], Settings());

        Assert.True(exitCode == 0, output);
        Assert.Equal(["F(10) = 55", "F(30) = 832040", "F(100) = 354224848179261915075"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Newcomer.AssertReadable(serve.Output);
    }

    [InProcessFact]
    public async Task Bad_input_gets_the_service_s_error_replies_in_words()
    {
        using var serve = await StartServeAsync();

        var (exitCode, output) = await Newcomer.RunAsync("fibrpc", ["call", "--queue", Queue, "abc", "-1", "1.5"], Settings());

        Assert.Equal(1, exitCode);
        Newcomer.AssertReadable(output);
        Assert.Contains("F(abc): error not_a_number: request body is not a decimal integer; send the decimal text of n, e.g. 30", output, StringComparison.Ordinal);
        Assert.Contains("F(-1): error negative: n must not be negative", output, StringComparison.Ordinal);
        Assert.Contains("F(1.5): error not_a_number", output, StringComparison.Ordinal);
    }

    [InProcessTheory]
    [InlineData("call --timeout -1 10", "--timeout must be a number of seconds from 0.1 to 86400, not '-1'")]
    [InlineData("call --timeout 0 10", "--timeout must be a number of seconds from 0.1 to 86400, not '0'")]
    [InlineData("call --timeout 0.001 10", "--timeout must be a number of seconds from 0.1 to 86400, not '0.001'")]
    [InlineData("call --timeout soon 10", "--timeout must be a number of seconds from 0.1 to 86400, not 'soon'")]
    [InlineData("serve --prefetch 0", "--prefetch must be from 1 to 65535, not '0'")]
    [InlineData("serve --prefetch -1", "--prefetch must be from 1 to 65535, not '-1'")]
    [InlineData("serve --metrics-port nine", "--metrics-port must be a whole number from 1 to 65535, not 'nine'")]
    [InlineData("compute ten", "n must be a whole number from 0 to 2147483647, not 'ten'")]
    [InlineData("bench --concurrency 0", "--concurrency must be from 1 to 10000, not '0'")]
    public async Task A_command_line_mistake_is_named_in_one_line_with_where_to_read_more(string commandLine, string expected)
    {
        var (exitCode, output) = await Newcomer.RunAsync("fibrpc", commandLine.Split(' '), Settings());

        Assert.Equal(2, exitCode);
        Newcomer.AssertReadable(output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal([$"fibrpc {commandLine.Split(' ')[0]}: {expected}", $"See 'fibrpc {commandLine.Split(' ')[0]} --help'."], lines);
    }

    [InProcessTheory]
    [InlineData("FibRpc__MaxN", "-1", "FibRpc__MaxN must be between 0 and 10000000")]
    [InlineData("FibRpc__MaxN", "lots", "FibRpc__MaxN is 'lots': it must be a whole number")]
    [InlineData("FibRpc__CacheBytes", "-1", "FibRpc__CacheBytes must be 0")]
    [InlineData("AzureFunctionsJobHost__extensions__rabbitMQ__prefetchCount", "0", "AzureFunctionsJobHost__extensions__rabbitMQ__prefetchCount is 0, which AMQP takes as no limit at all: set it from 1 to 65535")]
    public async Task A_bad_setting_stops_serve_with_one_line_naming_the_variable(string variable, string value, string expected)
    {
        var settings = Settings();
        settings[variable] = value;

        var (exitCode, output) = await Newcomer.RunAsync("fibrpc", ["serve"], settings);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"fibrpc serve: {expected}", Newcomer.OneLine(output), StringComparison.Ordinal);
    }

    [InProcessTheory]
    [InlineData("")]
    [InlineData("serve")]
    [InlineData("call")]
    [InlineData("compute")]
    [InlineData("bench")]
    [InlineData("topology")]
    public async Task Every_command_s_help_is_readable(string command)
    {
        var (exitCode, output) = await Newcomer.RunAsync("fibrpc", command.Length == 0 ? ["--help"] : [command, "--help"], Settings());

        Assert.True(exitCode == 0, output);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Newcomer.AssertReadable(output);
        if (command == "compute")
        {
            // compute never connects: options that would do nothing there are not offered.
            Assert.DoesNotContain("--connection", output, StringComparison.Ordinal);
            Assert.DoesNotContain("--ca-file", output, StringComparison.Ordinal);
        }
        else if (command.Length > 0)
        {
            Assert.Contains("--connection", output, StringComparison.Ordinal);
        }
    }

    [InProcessFact]
    public async Task Run_script_help_prints_its_own_usage_and_serve_s_options_and_does_nothing_else()
    {
        var (exitCode, output) = await Newcomer.RunAsync("run.sh", ["--help"], Settings());

        Assert.True(exitCode == 0, output);
        Newcomer.AssertReadable(output);
        Assert.Contains("Usage: scripts/run.sh [--telemetry]", output, StringComparison.Ordinal);
        Assert.Contains("--telemetry", output, StringComparison.Ordinal);
        Assert.Contains("--metrics-port", output, StringComparison.Ordinal);
        // Neither the broker script nor topology ran: they print these.
        Assert.DoesNotContain("run: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("set_policy", output, StringComparison.Ordinal);
        Assert.DoesNotContain("broker", output.Split("Every other option goes to fibrpc serve:")[1].Split("Options:")[0], StringComparison.Ordinal);
    }

    [InProcessTheory]
    [InlineData("call")]
    [InlineData("serve")]
    [InlineData("topology")]
    public async Task A_wrong_password_says_so_names_RabbitMQConnection_and_what_to_do(string command)
    {
        var wrong = new UriBuilder(Broker.Uri) { Password = "not-the-password" }.Uri.ToString();

        var (exitCode, output) = await Newcomer.RunAsync("fibrpc", command == "call" ? [command, "--queue", Queue, "10"] : [command], Settings(wrong));

        Assert.NotEqual(0, exitCode);
        Newcomer.AssertReadable(output);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.Equal($"fibrpc {command}: the broker at {new Uri(Broker.Uri).Host}:{new Uri(Broker.Uri).Port} refused the user name or password: correct them in RabbitMQConnection", last);
        Assert.DoesNotContain("not-the-password", output, StringComparison.Ordinal);
    }

    [InProcessTheory]
    [InlineData("call")]
    [InlineData("serve")]
    public async Task A_broker_that_is_down_points_to_the_script_that_starts_one(string command)
    {
        var closed = $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/";

        var (exitCode, output) = await Newcomer.RunAsync("fibrpc", command == "call" ? [command, "10"] : [command], Settings(closed));

        Assert.NotEqual(0, exitCode);
        Newcomer.AssertReadable(output);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.StartsWith($"fibrpc {command}: no broker answers at 127.0.0.1:", last, StringComparison.Ordinal);
        Assert.Contains("scripts/broker.sh start", last, StringComparison.Ordinal);
        Assert.Contains("RabbitMQConnection", last, StringComparison.Ordinal);
    }

    [InProcessFact]
    public async Task An_unknown_virtual_host_and_TLS_to_a_plain_port_are_named_with_the_fix()
    {
        var noVhost = new UriBuilder(Broker.Uri) { Path = "/no-such-vhost-" + Guid.NewGuid().ToString("N")[..8] }.Uri.ToString();
        var tlsToPlain = new UriBuilder(Broker.Uri) { Scheme = "amqps" }.Uri.ToString();

        var (vhostExit, vhostOutput) = await Newcomer.RunAsync("fibrpc", ["call", "--connection", noVhost, "10"], Settings());
        var (tlsExit, tlsOutput) = await Newcomer.RunAsync("fibrpc", ["call", "10"], Settings(tlsToPlain));

        Assert.Equal(2, vhostExit);
        var vhostLine = Newcomer.OneLine(vhostOutput);
        Assert.Contains("has no virtual host 'no-such-vhost-", vhostLine, StringComparison.Ordinal);
        Assert.Contains("--connection", vhostLine, StringComparison.Ordinal);
        Assert.Contains("rabbitmqctl add_vhost", vhostLine, StringComparison.Ordinal);
        Assert.Equal(2, tlsExit);
        var tlsLine = Newcomer.OneLine(tlsOutput);
        Assert.Contains("does not speak TLS", tlsLine, StringComparison.Ordinal);
        Assert.Contains("RabbitMQConnection", tlsLine, StringComparison.Ordinal);
    }

    [InProcessTheory]
    [InlineData(null)]
    [InlineData("127.0.0.1")]
    [InlineData("+")]
    public async Task Metrics_answer_whatever_host_name_reaches_the_bound_address(string? metricsHost)
    {
        var port = FreePort.Next();
        using var serve = await StartServeAsync(metricsHost is null ? ["--metrics-port", $"{port}"] : ["--metrics-port", $"{port}", "--metrics-host", metricsHost]);
        using var http = new HttpClient();

        // Prometheus sends the Host header of the target it was given: an address as often as a name.
        foreach (var host in new[] { "127.0.0.1", "localhost" })
        {
            using var response = await http.GetAsync(new Uri($"http://{host}:{port}/metrics"));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{host}: {(int)response.StatusCode}. Output:\n{serve.Output}");
            Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var elsewhere = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/other"));
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [InProcessFact]
    public async Task Health_and_readiness_answer_beside_the_metrics()
    {
        var port = FreePort.Next();
        using var serve = await StartServeAsync("--metrics-port", $"{port}");
        using var http = new HttpClient();
        using var alive = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        // Ready once it consumes; not ready once the broker cancelled its consumer (the queue is gone).
        using var ready = await http.GetAsync(new Uri($"http://localhost:{port}/readyz"));
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"{(int)ready.StatusCode}: {await ready.Content.ReadAsStringAsync()}");
        await using (var channel = await Broker.Connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(Queue, ifUnused: false, ifEmpty: false);
        }

        await Eventually.TrueAsync(async () =>
        {
            using var probe = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"));
            return probe.StatusCode == HttpStatusCode.ServiceUnavailable && (await probe.Content.ReadAsStringAsync()).Contains("cancelled the consumer", StringComparison.Ordinal);
        }, "readiness fails once the consumer is cancelled", TimeSpan.FromSeconds(20));
        serve.Terminate();
        await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    [InProcessFact]
    public async Task A_metrics_port_in_use_is_named_in_one_line()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, output) = await Newcomer.RunAsync("fibrpc", ["serve", "--metrics-port", $"{port}", "--metrics-host", "127.0.0.1"], Settings());

        Assert.Equal(1, exitCode);
        Newcomer.AssertReadable(output);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.StartsWith($"fibrpc serve: --metrics-port {port}: cannot listen on 127.0.0.1", last, StringComparison.Ordinal);
        Assert.EndsWith("pick another port with --metrics-port", last, StringComparison.Ordinal);
    }

    [InProcessFact]
    public async Task The_python_example_prints_answers_and_error_replies_and_says_in_one_line_what_is_wrong()
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), "Debian's python3 is needed for this test: apt-get install python3 python3-pika");
        using (var check = new ChildProcess(python, ["-c", "import pika"]))
        {
            Assert.True(await check.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, $"pika is needed for this test: apt-get install python3-pika\n{check.Output}");
        }

        var script = RepositoryFiles.PathOf("examples/python/rpc_client.py");
        var wrong = new UriBuilder(Broker.Uri) { Password = "not-the-password" }.Uri.ToString();
        using (var serve = await StartServeAsync())
        {
            var (exitCode, output) = await RunPythonAsync(python, script, Broker.Uri, Queue, "10", "30", "100", "abc", "-1");
            Assert.True(exitCode == 0, output);
            Assert.Equal(
                ["F(10) = 55", "F(30) = 832040", "F(100) = 354224848179261915075", "F(abc) = error not_a_number: request body is not a decimal integer; send the decimal text of n, e.g. 30", "F(-1) = error negative: n must not be negative"],
                output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            serve.Terminate();
            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var (wrongExit, wrongOutput) = await RunPythonAsync(python, script, wrong, Queue, "10");
        var (missingExit, missingOutput) = await RunPythonAsync(python, script, Broker.Uri, Queue + ".missing", "10");

        Assert.Equal(2, wrongExit);
        Assert.Equal($"rpc_client.py: the broker at {new Uri(Broker.Uri).Host}:{new Uri(Broker.Uri).Port} refused the user name or password: correct them in RABBITMQ_URL", OneLineOfPython(wrongOutput));
        Assert.Equal(2, missingExit);
        var missing = OneLineOfPython(missingOutput);
        Assert.StartsWith($"rpc_client.py: the broker has no queue '{Queue}.missing'", missing, StringComparison.Ordinal);
        Assert.Contains("scripts/fibrpc topology", missing, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunPythonAsync(string python, string script, string url, string queue, params string[] ns)
    {
        using var client = new ChildProcess(python, [script, .. ns], new Dictionary<string, string> { ["RABBITMQ_URL"] = url, ["FIBRPC_QUEUE"] = queue });
        return (await client.WaitForExitAsync(TimeSpan.FromSeconds(60)), client.Output);
    }

    private static string OneLineOfPython(string output)
    {
        Assert.DoesNotContain("Traceback", output, StringComparison.Ordinal);
        return Newcomer.OneLine(output);
    }
}

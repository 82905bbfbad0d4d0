using System.Globalization;
using FibRpc.IntegrationTests.Infrastructure;

namespace FibRpc.IntegrationTests.Permissions;

/// <summary>
/// fibrpc given a URI with a password prints the password nowhere: not in serve's logs, not in call's or topology's
/// output, not in the errors of a broker that cannot be reached or a login that fails.
/// </summary>
[Collection(PermissionsCollection.Name)]
public sealed class NoSecretsInOutputTests(DefinitionsBroker broker)
{
    private const string User = "leak-probe";
    private const string Password = "Pw-7f3c9e1b-never-print-me";
    private const string Queue = "leak_probe_queue";

    [InProcessFact]
    public async Task fibrpc_serve_call_and_topology_never_print_the_password()
    {
        await broker.Node.RunCtlAsync("add_user", User, Password);
        await broker.Node.RunCtlAsync("set_permissions", "-p", "/", User, ".*", ".*", ".*");
        var good = $"amqp://{User}:{Password}@127.0.0.1:{broker.Node.AmqpPort.ToString(CultureInfo.InvariantCulture)}/";
        var unreachable = $"amqp://{User}:{Password}@127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/";
        var wrongPassword = $"amqp://{User}:{Password}-wrong@127.0.0.1:{broker.Node.AmqpPort.ToString(CultureInfo.InvariantCulture)}/";
        var outputs = new List<(string What, string Output)>();

        outputs.Add(("topology", await RunAsync(0, "topology", "--queue", Queue, "--connection", good)));
        using (var serve = new ChildProcess("dotnet", [FibRpcCli.Dll, "serve", "--queue", Queue, "--connection", good, "--log-level", "Debug"]))
        {
            try
            {
                await Eventually.TrueAsync(() => Task.FromResult(serve.Output.Contains("Connected to RabbitMQ", StringComparison.Ordinal) && serve.Output.Contains("-consume", StringComparison.Ordinal)), $"fibrpc serve connects. Output:\n{serve.Output}", TimeSpan.FromSeconds(60));
                var call = await RunAsync(0, "call", "10", "--queue", Queue, "--connection", good);
                Assert.Contains("55", call, StringComparison.Ordinal);
                outputs.Add(("call", call));
            }
            finally
            {
                serve.Terminate();
                await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            outputs.Add(("serve", serve.Output));
            // The log names where it connected, with the password masked: the redaction is visible, not just silence.
            Assert.Contains($"amqp://{User}:***@127.0.0.1", serve.Output, StringComparison.Ordinal);
        }

        foreach (var uri in new[] { unreachable, wrongPassword })
        {
            outputs.Add(("topology, failing", await RunAsync(null, "topology", "--queue", Queue, "--connection", uri)));
            outputs.Add(("call, failing", await RunAsync(null, "call", "10", "--queue", Queue, "--connection", uri)));
            using var serve = new ChildProcess("dotnet", [FibRpcCli.Dll, "serve", "--queue", Queue, "--connection", uri]);
            Assert.NotEqual(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            outputs.Add(("serve, failing", serve.Output));
        }

        Assert.All(outputs, o => Assert.False(o.Output.Contains("never-print-me", StringComparison.Ordinal), $"fibrpc {o.What} printed the password:\n{o.Output}"));
        Assert.All(outputs.Where(o => o.What.EndsWith("failing", StringComparison.Ordinal)), o => Assert.False(string.IsNullOrWhiteSpace(o.Output), $"fibrpc {o.What} failed silently"));
    }

    private static async Task<string> RunAsync(int? expectedExit, params string[] args)
    {
        using var process = new ChildProcess("dotnet", [FibRpcCli.Dll, .. args]);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (expectedExit is { } expected)
        {
            Assert.True(exit == expected, $"fibrpc {string.Join(' ', args[..1])} exited {exit}:\n{process.Output}");
        }
        else
        {
            Assert.True(exit != 0, $"fibrpc {args[0]} should have failed:\n{process.Output}");
        }

        return process.Output;
    }
}

using FibRpc.IntegrationTests.Infrastructure;

namespace FibRpc.IntegrationTests;

/// <summary>
/// rabbitmqctl against the test broker's node: the development broker's (rabbit@localhost, scripts/broker.sh) unless
/// FIBRPC_TEST_BROKER_NODE names another. It must run where the broker runs.
/// </summary>
internal static class Rabbitmqctl
{
    private static string Node => Environment.GetEnvironmentVariable("FIBRPC_TEST_BROKER_NODE") is { Length: > 0 } node ? node : "rabbit@localhost";

    private static string Control => File.Exists("/usr/sbin/rabbitmqctl") ? "/usr/sbin/rabbitmqctl" : "rabbitmqctl";

    /// <summary>Runs it on the node with the arguments; fails the test unless it exits 0, and returns its standard output.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        using var process = new ChildProcess(Control, ["-n", Node, .. arguments]);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"{Control} -n {Node} {string.Join(' ', arguments)} failed: {process.Output}");
        return process.StandardOutput;
    }

    /// <summary>The rows of a listing of the test broker's virtual host (-q --no-table-headers), split at tabs.</summary>
    public static async Task<List<string[]>> ListAsync(string what, params string[] columns) =>
        [.. (await RunAsync(["-q", what, "-p", Broker.VirtualHost, "--no-table-headers", .. columns]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))];
}

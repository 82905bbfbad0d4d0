using System.Diagnostics;
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
        var start = new ProcessStartInfo(Control) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-n", Node }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Control}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{Control} {string.Join(' ', start.ArgumentList)} failed: {await error}");
        return await output;
    }

    /// <summary>The rows of a listing of the test broker's virtual host (-q --no-table-headers), split at tabs.</summary>
    public static async Task<List<string[]>> ListAsync(string what, params string[] columns) =>
        [.. (await RunAsync(["-q", what, "-p", Broker.VirtualHost, "--no-table-headers", .. columns]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))];
}

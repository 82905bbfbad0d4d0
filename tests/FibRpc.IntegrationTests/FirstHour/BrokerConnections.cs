using System.Diagnostics;
using FibRpc.IntegrationTests.Infrastructure;

namespace FibRpc.IntegrationTests.FirstHour;

/// <summary>
/// Cuts a client's connection with rabbitmqctl close_connection, as a broker restart or a lost node would, without
/// touching anything else on the broker: only connections of the test broker's virtual host whose client-provided
/// name is the given one.
/// </summary>
internal static class BrokerConnections
{
    private static string Node => Environment.GetEnvironmentVariable("FIBRPC_TEST_BROKER_NODE") is { Length: > 0 } node ? node : "rabbit@localhost";

    private static string Control => File.Exists("/usr/sbin/rabbitmqctl") ? "/usr/sbin/rabbitmqctl" : "rabbitmqctl";

    public static string VirtualHost
    {
        get
        {
            var path = new Uri(Broker.Uri).AbsolutePath.TrimStart('/');
            return path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        }
    }

    /// <summary>Closes the connections named <paramref name="clientName"/>; returns how many there were.</summary>
    public static async Task<int> CloseAsync(string clientName)
    {
        var listing = await RunAsync(["-n", Node, "-q", "list_connections", "-p", VirtualHost, "--no-table-headers", "pid", "client_properties"]);
        var closed = 0;
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // The pid column (<rabbit@host.1.2.3>) is what close_connection takes; the name is in client_properties.
            if (line.StartsWith('<') && line.Contains($"\"{clientName}\"", StringComparison.Ordinal))
            {
                await RunAsync(["-n", Node, "close_connection", line.Split('\t')[0], "cut by a test"]);
                closed++;
            }
        }

        return closed;
    }

    private static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Control) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{Control} {string.Join(' ', start.ArgumentList)} failed: {await error}");
        return await output;
    }
}

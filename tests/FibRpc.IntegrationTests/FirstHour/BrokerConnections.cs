namespace FibRpc.IntegrationTests.FirstHour;

/// <summary>
/// Cuts a client's connection with rabbitmqctl close_connection, as a broker restart or a lost node would, without
/// touching anything else on the broker: only connections of the test broker's virtual host whose client-provided
/// name is the given one.
/// </summary>
internal static class BrokerConnections
{
    /// <summary>Closes the connections named <paramref name="clientName"/>; returns how many there were.</summary>
    public static async Task<int> CloseAsync(string clientName)
    {
        var closed = 0;
        foreach (var row in await Rabbitmqctl.ListAsync("list_connections", "pid", "client_properties"))
        {
            // The pid column (<rabbit@host.1.2.3>) is what close_connection takes; the name is in client_properties.
            if (row[0].StartsWith('<') && row.Any(field => field.Contains($"\"{clientName}\"", StringComparison.Ordinal)))
            {
                await Rabbitmqctl.RunAsync("close_connection", row[0], "cut by a test");
                closed++;
            }
        }

        return closed;
    }
}

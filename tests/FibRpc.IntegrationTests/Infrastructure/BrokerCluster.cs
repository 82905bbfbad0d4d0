namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>
/// A cluster of a test's own nodes (3 by default): started together, then each joined to the first. Disposing it
/// disposes every node. Nodes are named {prefix}1@localhost, {prefix}2@localhost, ... on free ports.
/// </summary>
public sealed class BrokerCluster : IAsyncDisposable
{
    private BrokerCluster(IReadOnlyList<BrokerNode> nodes) => Nodes = nodes;

    public IReadOnlyList<BrokerNode> Nodes { get; }

    /// <summary>Each node's amqp:// address, the first (the seed) first.</summary>
    public IReadOnlyList<Uri> Uris => [.. Nodes.Select(node => node.Uri)];

    public static async Task<BrokerCluster> StartAsync(string prefix, int size = 3, BrokerNodeOptions? options = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var starts = Enumerable.Range(1, size).Select(i => BrokerNode.StartAsync($"{prefix}{i}", options, ct)).ToList();
        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
        }
        catch
        {
            // Those that did start go again; the first failure is what the caller sees.
            await Task.WhenAll(starts.Where(start => start.IsCompletedSuccessfully).Select(start => start.Result.DisposeAsync().AsTask())).ConfigureAwait(false);
            throw;
        }

        var cluster = new BrokerCluster([.. starts.Select(start => start.Result)]);
        try
        {
            foreach (var node in cluster.Nodes.Skip(1))
            {
                await node.JoinClusterAsync(cluster.Nodes[0], ct).ConfigureAwait(false);
            }
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    /// <summary>
    /// Every client connection of the cluster with the node that holds it (known by the port it came in on), as the
    /// first node that answers lists them: a stopped node is skipped.
    /// </summary>
    public async Task<IReadOnlyList<(BrokerConnection Connection, BrokerNode Node)>> ConnectionsAsync(CancellationToken ct = default)
    {
        var failures = new List<string>();
        foreach (var asking in Nodes)
        {
            try
            {
                var connections = await asking.ListConnectionsAsync(ct).ConfigureAwait(false);
                return [.. connections.Select(connection => (connection, Nodes.Single(node => node.AmqpPort == connection.Port)))];
            }
            catch (BrokerNodeException e)
            {
                failures.Add($"{asking.NodeName}: {e.Message.Split('\n')[0]}");
            }
        }

        throw new BrokerNodeException($"no node of the cluster lists its connections: {string.Join("; ", failures)}");
    }

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(Nodes.Select(node => node.DisposeAsync().AsTask())).ConfigureAwait(false);
}

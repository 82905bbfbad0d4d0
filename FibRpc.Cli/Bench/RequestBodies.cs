using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace FibRpc.Cli.Bench;

/// <summary>The request body of each n, encoded once: the load loop should measure the service, not string formatting.</summary>
public sealed class RequestBodies
{
    private readonly ConcurrentDictionary<int, ReadOnlyMemory<byte>> _bodies = new();

    public ReadOnlyMemory<byte> For(int n) =>
        _bodies.GetOrAdd(n, static key => Encoding.ASCII.GetBytes(key.ToString(CultureInfo.InvariantCulture)));
}

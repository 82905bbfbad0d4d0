using System.Net;
using System.Net.Sockets;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>A loopback TCP port nobody listens on right now, for a listener a test starts (metrics, OTLP, Prometheus).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

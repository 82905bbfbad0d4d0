using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace FibRpc.Cli.Metrics;

/// <summary>
/// serve's <c>/metrics</c>: listens on the address given by <c>--metrics-host</c> and answers whatever Host header a
/// scraper sends (Prometheus scrapes by address: <c>127.0.0.1:9464</c> and <c>localhost:9464</c> are the same target).
/// </summary>
/// <remarks>
/// The Prometheus exporter serves through <see cref="HttpListener"/>, which matches the Host header against its
/// prefix (bound to <c>localhost</c> it answers 404 to <c>127.0.0.1</c>), and the only prefix that takes every host
/// name (<c>+</c>) also takes every address. So the exporter listens on a loopback port of its own, and this plain
/// socket relays GET /metrics to it with the scraper's Accept header (Prometheus text or OpenMetrics).
/// </remarks>
internal sealed class MetricsEndpoint(string host, int port, int exporterPort, Func<(bool Ready, string Why)> readiness) : BackgroundService
{
    private const string Path = "/metrics";

    /// <summary>Alive: the process answers (a liveness probe restarts a process that does not).</summary>
    private const string HealthPath = "/healthz";

    /// <summary>Ready: consuming the request queue, and the last reply was not refused for the deployment's permissions.</summary>
    private const string ReadyPath = "/readyz";
    private const int LargestRequestHead = 16 * 1024;
    private static readonly TimeSpan RequestPatience = TimeSpan.FromSeconds(10);

    private readonly List<TcpListener> _listeners = [];
    private readonly HttpClient _exporter = new() { BaseAddress = new Uri($"http://127.0.0.1:{exporterPort}"), Timeout = RequestPatience };

    /// <summary>Adds the exporter (on a free loopback port) and this endpoint in front of it.</summary>
    public static void Add(IServiceCollection services, OpenTelemetryBuilder telemetry, string host, int port)
    {
        var exporterPort = FreeLoopbackPort();
        telemetry.WithMetrics(metrics => metrics.AddPrometheusHttpListener(prometheus =>
        {
            prometheus.Host = "127.0.0.1";
            prometheus.Port = exporterPort;
        }));
        services.AddHostedService(provider =>
        {
            var trigger = provider.GetRequiredService<FibRpc.TriggerHost.LocalTriggerHost>();
            var replies = provider.GetRequiredService<FibRpc.Service.Replies.ReplyHealth>();
            return new MetricsEndpoint(host, port, exporterPort, () => Readiness(trigger.IsConsuming, replies.DeploymentFault));
        });
    }

    /// <summary>Ready when consuming and when replies may be published; otherwise why not.</summary>
    internal static (bool Ready, string Why) Readiness(bool consuming, string? deploymentFault) =>
        !consuming ? (false, "not consuming the request queue (starting, stopping, or the broker cancelled the consumer)")
        : deploymentFault is not null ? (false, $"replies cannot be published: {deploymentFault}")
        : (true, "consuming, and replies are published");

    /// <summary>The addresses a --metrics-host stands for: + and * every address, else what it names or resolves to.</summary>
    private static IReadOnlyList<IPAddress> Addresses(string host)
    {
        if (host is "+" or "*")
        {
            return [Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any];
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return [address];
        }

        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? [IPAddress.Loopback, .. Socket.OSSupportsIPv6 ? [IPAddress.IPv6Loopback] : Array.Empty<IPAddress>()]
            : Dns.GetHostAddresses(host);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = Addresses(host);
        }
        catch (SocketException e)
        {
            throw new MetricsEndpointException($"--metrics-host {host}: the name does not resolve ({e.Message}); give localhost, an address of this machine, or +", e);
        }

        foreach (var address in addresses)
        {
            try
            {
                _listeners.Add(Listen(address));
            }
            catch (SocketException) when (address.Equals(IPAddress.IPv6Loopback) && _listeners.Count > 0)
            {
                // localhost without IPv6 here: the IPv4 loopback is enough.
            }
            catch (SocketException) when (address.Equals(IPAddress.IPv6Any))
            {
                // Every address, on a machine (or container) whose IPv6 is switched off: every IPv4 address.
                try
                {
                    _listeners.Add(Listen(IPAddress.Any));
                }
                catch (SocketException e)
                {
                    throw new MetricsEndpointException($"--metrics-port {port}: cannot listen on every address ({e.Message}); pick another port with --metrics-port", e);
                }
            }
            catch (SocketException e)
            {
                throw new MetricsEndpointException($"--metrics-port {port}: cannot listen on {address} ({e.Message}); pick another port with --metrics-port", e);
            }
        }

        return base.StartAsync(cancellationToken);
    }

    private TcpListener Listen(IPAddress address)
    {
        var listener = new TcpListener(address, port);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                listener.Server.DualMode = true;
            }

            listener.Start();
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_listeners.Select(listener => AcceptAsync(listener, stoppingToken)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        _exporter.Dispose();
        base.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(client, stoppingToken), CancellationToken.None);
        }
    }

    private async Task AnswerAsync(TcpClient client, CancellationToken stoppingToken)
    {
        using var owned = client;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        patience.CancelAfter(RequestPatience);
        try
        {
            var stream = client.GetStream();
            if (await ReadHeadAsync(stream, patience.Token).ConfigureAwait(false) is not { } head)
            {
                return;
            }

            var lines = head.Split("\r\n");
            var requestLine = lines[0].Split(' ');
            var method = requestLine[0];
            var path = (requestLine.Length > 1 ? requestLine[1] : "").Split('?', 2)[0];
            var (ready, why) = path == ReadyPath ? readiness() : default;
            var (status, reason, text) = (method, path) switch
            {
                (not ("GET" or "HEAD"), _) => (405, "Method Not Allowed", "GET /metrics only\n"),
                (_, HealthPath) => (200, "OK", "alive\n"),
                (_, ReadyPath) when ready => (200, "OK", $"ready: {why}\n"),
                (_, ReadyPath) => (503, "Service Unavailable", $"not ready: {why}\n"),
                (_, Path) => (0, "", ""),
                _ => (404, "Not Found", "metrics are at /metrics, health at /healthz and /readyz\n"),
            };
            if (status != 0)
            {
                await WriteAsync(stream, status, reason, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text), method == "HEAD", patience.Token).ConfigureAwait(false);
                return;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, Path);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && string.Equals(line[..colon].Trim(), "Accept", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation("Accept", line[(colon + 1)..].Trim());
                }
            }

            using var response = await _exporter.SendAsync(request, patience.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(patience.Token).ConfigureAwait(false);
            var contentType = response.Content.Headers.ContentType?.ToString() ?? "text/plain; version=0.0.4; charset=utf-8";
            await WriteAsync(stream, (int)response.StatusCode, response.ReasonPhrase ?? "", contentType, body, method == "HEAD", patience.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or HttpRequestException)
        {
            // A scraper that went away, or a stop: nothing to answer.
        }
    }

    /// <summary>The request line and headers, up to the blank line; null when the client sends none.</summary>
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[LargestRequestHead];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            filled += read;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return Encoding.ASCII.GetString(buffer, 0, end);
            }
        }

        return null;
    }

    private static async Task WriteAsync(NetworkStream stream, int status, string reason, string contentType, byte[] body, bool headOnly, CancellationToken cancellationToken)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
        if (!headOnly)
        {
            await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A loopback port free right now, for the exporter's own listener (only this process talks to it). Another
    /// program could take it before the exporter binds it; the exporter then fails to start and serve says so.
    /// </summary>
    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>/metrics could not listen where it was asked to: a message for the person who gave the options.</summary>
internal sealed class MetricsEndpointException(string message, Exception innerException) : InvalidOperationException(message, innerException);

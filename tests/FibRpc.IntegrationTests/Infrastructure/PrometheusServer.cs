using System.Globalization;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>
/// A real Prometheus (the Debian package, scripts/bootstrap.sh test) on a free loopback port, with a configuration
/// of the test's and a data folder of its own that goes with it; its HTTP API is that of <see cref="PrometheusApi"/>.
/// </summary>
public sealed class PrometheusServer : PrometheusApi, IDisposable
{
    public const string Program = "/usr/bin/prometheus";

    private readonly DirectoryInfo _directory;
    private readonly ChildProcess _process;

    private PrometheusServer(DirectoryInfo directory, ChildProcess process, int port)
        : base(port)
    {
        _directory = directory;
        _process = process;
    }

    public string Output => _process.Output;

    /// <summary>Writes the configuration and starts Prometheus on it; fails with how to install it when it is missing.</summary>
    public static async Task<PrometheusServer> StartAsync(string configuration)
    {
        Assert.True(File.Exists(Program), $"{Program} is missing: run scripts/bootstrap.sh test");
        var port = FreePort.Next();
        var directory = Directory.CreateTempSubdirectory("fibrpc-prometheus-");
        var config = Path.Combine(directory.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, configuration);
        var process = new ChildProcess(Program,
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
        ]);
        return new PrometheusServer(directory, process, port);
    }

    /// <summary>SIGTERM, and waits for the exit.</summary>
    public async Task StopAsync()
    {
        _process.Terminate();
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Only litter in the temp folder.
        }
    }
}

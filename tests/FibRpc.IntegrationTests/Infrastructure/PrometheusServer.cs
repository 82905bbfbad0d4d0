using System.Globalization;
using System.Net;
using System.Text.Json;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>
/// A real Prometheus (the Debian package, scripts/bootstrap.sh test) on a free loopback port, with a configuration
/// of the test's and a data folder of its own that goes with it.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    public const string Program = "/usr/bin/prometheus";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly DirectoryInfo _directory;
    private readonly ChildProcess _process;

    private PrometheusServer(DirectoryInfo directory, ChildProcess process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public int Port { get; }

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

    /// <summary>
    /// The result vector of an instant query, or null while Prometheus does not answer yet. A query Prometheus
    /// rejects (bad syntax, unknown function) fails the test with Prometheus's own words.
    /// </summary>
    public async Task<JsonElement?> QueryAsync(string promql)
    {
        HttpResponseMessage response;
        try
        {
            response = await Http.GetAsync(new Uri($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/api/v1/query?query={Uri.EscapeDataString(promql)}"));
        }
        catch (HttpRequestException)
        {
            return null;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
            {
                Assert.Fail($"Prometheus rejects the query {promql}: {body}");
            }

            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var answer = JsonDocument.Parse(body);
            return answer.RootElement.GetProperty("data").GetProperty("result").Clone();
        }
    }

    /// <summary>The values of a label over the series that match a selector (what Grafana's label_values() lists); empty while Prometheus does not answer.</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string label, string match)
    {
        try
        {
            using var answer = JsonDocument.Parse(await Http.GetStringAsync(new Uri(
                $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/api/v1/label/{Uri.EscapeDataString(label)}/values?match[]={Uri.EscapeDataString(match)}")));
            return [.. answer.RootElement.GetProperty("data").EnumerateArray().Select(value => value.GetString()!)];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    /// <summary>The value of the first series of an instant query; 0 when there is none, -1 while Prometheus does not answer.</summary>
    public async Task<double> ScalarAsync(string promql) =>
        await QueryAsync(promql) switch
        {
            null => -1,
            { } result when result.GetArrayLength() == 0 => 0,
            { } result => double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture),
        };

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

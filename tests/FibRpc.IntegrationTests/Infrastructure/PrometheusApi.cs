using System.Globalization;
using System.Net;
using System.Text.Json;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>The HTTP API of a Prometheus on a loopback port: one the tests started, or one a script of the repository started.</summary>
public class PrometheusApi(int port)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public int Port { get; } = port;

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
}

using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using FibRpc.Service.Telemetry;

namespace FibRpc.Tests.Deployment;

/// <summary>The dashboard in deploy/grafana queries only series that the service really exports.</summary>
public sealed partial class GrafanaDashboardTests
{
    private const string Dashboard = "deploy/grafana/fibrpc-dashboard.json";

    /// <summary>The Prometheus series names of the service's instruments, by the OpenTelemetry exporter's naming rules.</summary>
    private static HashSet<string> ExportedSeries()
    {
        var metrics = new ServiceMetrics(null);
        var series = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (!ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                return;
            }

            var name = instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "");
            if (instrument is Histogram<double>)
            {
                series.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
            }
            else
            {
                series.Add(name + "_total");
            }
        };
        listener.Start();
        metrics.Meter.Dispose();
        return series;
    }

    [Fact]
    public void Every_series_the_dashboard_queries_is_one_the_service_exports()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepoFiles.PathOf(Dashboard)));
        var exported = ExportedSeries();
        var queried = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .SelectMany(target => SeriesName().Matches(target.GetProperty("expr").GetString()!).Select(match => match.Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("messaging_process_duration_seconds_count", queried);
        Assert.Contains("messaging_process_duration_seconds_count", exported);
        Assert.Empty(queried.Except(exported));
    }

    [GeneratedRegex(@"\b(?:fibrpc|messaging)_[a-z_]+\b")]
    private static partial Regex SeriesName();
}

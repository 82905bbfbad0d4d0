using FibRpc.Cli.Metrics;

namespace FibRpc.Tests.Cli;

/// <summary>serve's /readyz: ready only while it consumes and its replies may be published.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public void Ready_only_while_consuming_and_publishing()
    {
        Assert.True(MetricsEndpoint.Readiness(consuming: true, deploymentFault: null).Ready);
        Assert.False(MetricsEndpoint.Readiness(consuming: false, deploymentFault: null).Ready);
        var (ready, why) = MetricsEndpoint.Readiness(consuming: true, deploymentFault: "403 ACCESS_REFUSED");
        Assert.False(ready);
        Assert.Contains("403 ACCESS_REFUSED", why, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using FibRpc.Messaging.Telemetry;

namespace FibRpc.Tests.Telemetry;

public sealed class TraceContextHeadersTests
{
    [Fact]
    public void What_is_injected_is_extracted_as_the_remote_parent()
    {
        using var span = new Activity("send").SetIdFormat(ActivityIdFormat.W3C).Start();
        span.TraceStateString = "congo=t61rcWkgMzE";
        var headers = new Dictionary<string, object?> { ["traceparent"] = "00-11111111111111111111111111111111-2222222222222222-01" };

        TraceContextHeaders.Inject(span, headers);
        var context = TraceContextHeaders.Extract(headers);

        Assert.Equal(span.Id, headers["traceparent"]);
        Assert.Equal(span.TraceId, context.TraceId);
        Assert.Equal(span.SpanId, context.SpanId);
        Assert.Equal("congo=t61rcWkgMzE", context.TraceState);
        Assert.True(context.IsRemote);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not trace context")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")]
    [InlineData(42L)]
    public void A_missing_invalid_or_non_text_traceparent_names_no_parent(object? traceParent)
    {
        var headers = new Dictionary<string, object?> { ["traceparent"] = traceParent };
        Assert.Equal(default, TraceContextHeaders.Extract(headers));
    }
}

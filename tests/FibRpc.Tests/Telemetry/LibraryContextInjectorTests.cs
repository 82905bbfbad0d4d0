using System.Diagnostics;
using FibRpc.Messaging.Telemetry;
using RabbitMQ.Client;

namespace FibRpc.Tests.Telemetry;

/// <summary>Once installed, RabbitMQ.Client's injector leaves a message's own trace context alone.</summary>
public sealed class LibraryContextInjectorTests
{
    [Fact]
    public void A_message_that_names_its_span_keeps_it_and_one_that_does_not_gets_the_library_span()
    {
        LibraryContextInjector.Install();
        LibraryContextInjector.Install();
        using var span = new Activity("library publish").SetIdFormat(ActivityIdFormat.W3C).Start();
        var own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var carrying = new Dictionary<string, object?> { [TraceContextHeaders.TraceParent] = own };
        var bare = new Dictionary<string, object?>();

        RabbitMQActivitySource.ContextInjector(span, carrying);
        RabbitMQActivitySource.ContextInjector(span, bare);

        Assert.Equal(own, carrying[TraceContextHeaders.TraceParent]);
        Assert.Equal(span.Id, bare[TraceContextHeaders.TraceParent] as string ?? System.Text.Encoding.UTF8.GetString((byte[])bare[TraceContextHeaders.TraceParent]!));
    }
}

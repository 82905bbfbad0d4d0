using FibRpc.Engine;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Handling;
using FibRpc.Service.Replies;
using FibRpc.Service.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FibRpc.Tests.Telemetry;

/// <summary>Request handlers over a recording publisher, counting on the metrics they are given.</summary>
internal static class TestHandlers
{
    public static RequestHandler Create(IConfirmedPublisher publisher, ServiceMetrics? metrics = null, FibRpcOptions? options = null)
    {
        var settings = Options.Create(options ?? new FibRpcOptions());
        return new RequestHandler(
            new FibonacciEngine(), new ReplySender(publisher, settings, NullLogger<ReplySender>.Instance) { PauseAfter = _ => TimeSpan.Zero }, publisher,
            new ReplyPolicy(settings), settings, TimeProvider.System, NullLogger<RequestHandler>.Instance, metrics);
    }
}

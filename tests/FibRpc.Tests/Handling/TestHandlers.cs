using FibRpc.Engine;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Handling;
using FibRpc.Service.Replies;
using FibRpc.Service.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FibRpc.Tests.Handling;

/// <summary>
/// Request handlers over a test publisher, wired as AddFibRpc wires them, except that reply retries do not pause
/// (the back-off itself is tested on its own) and the engine, settings, clock and metrics may be replaced.
/// </summary>
internal static class TestHandlers
{
    public static RequestHandler Create(
        IConfirmedPublisher publisher, ServiceMetrics? metrics = null, FibRpcOptions? options = null, IFibonacciEngine? engine = null, TimeProvider? clock = null)
    {
        var settings = Options.Create(options ?? new FibRpcOptions());
        return new RequestHandler(
            engine ?? new FibonacciEngine(), new ReplySender(publisher, settings, NullLogger<ReplySender>.Instance) { PauseAfter = _ => TimeSpan.Zero }, publisher,
            new ReplyPolicy(settings), settings, clock ?? TimeProvider.System, NullLogger<RequestHandler>.Instance, metrics);
    }
}

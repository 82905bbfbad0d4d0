using FibRpc.Engine;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Handling;
using FibRpc.Service.Replies;
using FibRpc.Service.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FibRpc.Tests.Handling;

/// <summary>
/// The service and the function's adapter over a test publisher, wired as AddFibRpc wires them, except that reply
/// retries do not pause (the back-off itself is tested on its own) and the engine, settings, clock and metrics may be
/// replaced. Without a broker there is no queue inspector: names that are neither allowed nor server-named are refused.
/// </summary>
internal static class TestHandlers
{
    public static RequestService Create(
        IConfirmedPublisher publisher, ServiceMetrics? metrics = null, FibRpcOptions? options = null, IFibonacciEngine? engine = null, TimeProvider? clock = null,
        ILogger<RequestService>? logger = null)
    {
        var settings = Options.Create(options ?? new FibRpcOptions());
        var time = clock ?? TimeProvider.System;
        return new RequestService(
            engine ?? new FibonacciEngine(),
            new ReplySender(publisher, settings, time, new ReplyHealth(), NullLogger<ReplySender>.Instance) { PauseAfter = _ => TimeSpan.Zero },
            new ReplyPolicy(settings), settings, metrics ?? new ServiceMetrics(null), time, logger ?? NullLogger<RequestService>.Instance);
    }

    public static FunctionTriggerAdapter Function(IConfirmedPublisher publisher, FibRpcOptions? options = null, IFibonacciEngine? engine = null) =>
        new(Create(publisher, options: options, engine: engine), publisher, NullLogger<FunctionTriggerAdapter>.Instance);
}

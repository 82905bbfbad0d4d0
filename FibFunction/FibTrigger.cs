using FibRpc.Contract;
using FibRpc.Service.Handling;
using Microsoft.Azure.Functions.Worker;

namespace FibFunction;

/// <summary>
/// The RabbitMQ-triggered function. The host acks the request after this returns; an exception makes the host
/// republish the request (up to 5 attempts), so the service throws only when the reply could not be published after
/// its own retries, and never for a request whose requeue header the host could not count with.
/// </summary>
public sealed class FibTrigger(RequestHandler handler)
{
    [Function(RpcNames.FunctionName)]
    public Task RunAsync(
        [RabbitMQTrigger(RpcNames.Queue, ConnectionStringSetting = RpcNames.ConnectionSetting)] byte[] body,
        FunctionContext context)
    {
        // The message properties reach the isolated worker only as binding data (BasicProperties as JSON).
        return handler.HandleAsync(body, context.BindingContext.BindingData, context.CancellationToken);
    }
}

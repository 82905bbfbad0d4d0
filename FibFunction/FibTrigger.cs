using FibRpc.Contract;
using FibRpc.Service.Binding;
using FibRpc.Service.Handling;
using Microsoft.Azure.Functions.Worker;

namespace FibFunction;

/// <summary>
/// The RabbitMQ-triggered function. The host acks the request after this returns; an exception makes the host
/// republish the request (up to 5 attempts), so the core only throws when the reply could not be published.
/// </summary>
public sealed class FibTrigger(RequestHandler handler)
{
    [Function(RpcNames.FunctionName)]
    public Task RunAsync(
        [RabbitMQTrigger(RpcNames.Queue, ConnectionStringSetting = RpcNames.ConnectionSetting)] byte[] body,
        FunctionContext context)
    {
        // The message properties reach the isolated worker only as binding data (BasicProperties as JSON).
        var properties = BindingDataReader.Read(context.BindingContext.BindingData);
        return handler.HandleAsync(body, properties, context.CancellationToken);
    }
}

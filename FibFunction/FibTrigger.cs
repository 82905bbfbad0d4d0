using FibRpc.Contract;
using FibRpc.Service.Handling;
using Microsoft.Azure.Functions.Worker;

namespace FibFunction;

/// <summary>
/// The RabbitMQ-triggered function: hands the body and the binding data (the message's properties reach the isolated
/// worker only that way) to the service's adapter for this host, which decides and carries out the decision with the
/// host's two moves: return (the host acks) or throw (the host retries, and dead-letters at its fifth attempt).
/// </summary>
public sealed class FibTrigger(FunctionTriggerAdapter trigger)
{
    [Function(RpcNames.FunctionName)]
    public Task RunAsync(
        [RabbitMQTrigger(RpcNames.Queue, ConnectionStringSetting = RpcNames.ConnectionSetting)] byte[] body,
        FunctionContext context)
    {
        return trigger.HandleAsync(body, context.BindingContext.BindingData, context.CancellationToken);
    }
}

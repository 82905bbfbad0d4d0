using System.Globalization;
using FibRpc.Contract;
using FibRpc.Service.Handling;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.IntegrationTests.Conformance;

/// <summary>
/// The Functions host's RabbitMQ listener (extension 2.x) imitated statement for statement, in-process, on the real
/// broker: prefetch 1, manual ack; the function (here its entry, <see cref="FunctionTriggerAdapter"/>) gets the body and
/// the binding data written as the host writes it; after it returns the delivery is acked; when it throws,
/// <c>Convert.ToInt32(x-ms-rabbitmq-requeuecount) + 1</c> (unchecked), at 5 or more a reject without requeue (into
/// the dead-letter exchange), else the original properties with the new count republished to the queue without
/// publisher confirms, and the original acked. When <c>Convert.ToInt32</c> throws, the real host's callback throws
/// and the delivery is never settled: counted here as a stall.
/// </summary>
internal sealed class FunctionsHostImitation(FunctionTriggerAdapter function, string queue) : IAsyncDisposable
{
    private IConnection? _connection;
    private IChannel? _channel;
    private int _settled;
    private int _stalled;
    private int _invocations;

    /// <summary>Invocations to report as failed without running the function: a worker that crashed mid-request.</summary>
    public int CrashFirstInvocations { get; init; }

    /// <summary>Hands the function binding data whose BasicProperties is not JSON.</summary>
    public bool CorruptBindingData { get; init; }

    public int Settled => Volatile.Read(ref _settled);

    public int Stalled => Volatile.Read(ref _stalled);

    public async Task StartAsync(string uri)
    {
        _connection = await new ConnectionFactory { Uri = new Uri(uri), ClientProvidedName = "functions-host-imitation" }.CreateConnectionAsync();
        _channel = await _connection.CreateChannelAsync();
        await _channel.BasicQosAsync(0, 1, global: false);
        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += OnReceivedAsync;
        await _channel.BasicConsumeAsync(queue, autoAck: false, consumer);
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs args)
    {
        var channel = _channel!;
        var body = args.Body.ToArray();
        var bindingData = HostBindingData.From(args.DeliveryTag, args.Redelivered, args.Exchange, args.RoutingKey, args.BasicProperties);
        if (CorruptBindingData)
        {
            bindingData["BasicProperties"] = "{not json";
        }

        var succeeded = false;
        if (Interlocked.Increment(ref _invocations) > CrashFirstInvocations)
        {
            try
            {
                await function.HandleAsync(body, bindingData, CancellationToken.None);
                succeeded = true;
            }
            catch (Exception)
            {
                // Whatever the function throws is a failed invocation to the host.
            }
        }

        if (!succeeded)
        {
            var headers = args.BasicProperties.Headers is { } original ? new Dictionary<string, object?>(original) : new Dictionary<string, object?>();
            headers.TryGetValue(RpcNames.RequeueCountHeader, out var value);
            int count;
            try
            {
                count = unchecked(Convert.ToInt32(value, CultureInfo.InvariantCulture) + 1);
            }
            catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException)
            {
                Interlocked.Increment(ref _stalled);
                return;
            }

            if (count >= 5)
            {
                await channel.BasicRejectAsync(args.DeliveryTag, requeue: false);
                Interlocked.Increment(ref _settled);
                return;
            }

            headers[RpcNames.RequeueCountHeader] = count;
            var copy = new BasicProperties(args.BasicProperties) { Headers = headers };
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: false, copy, body);
        }

        await channel.BasicAckAsync(args.DeliveryTag, multiple: false);
        Interlocked.Increment(ref _settled);
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}

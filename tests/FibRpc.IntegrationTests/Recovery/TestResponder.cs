using System.Globalization;
using System.Text;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace FibRpc.IntegrationTests.Recovery;

/// <summary>
/// A plain server of the classic RPC pattern on the real broker: consumes the request queue with automatic acks
/// (so no delivery tag can go stale across a recovery), answers F(n) from the reference, and is restored by the
/// client library's own topology recovery. The client's fault tests use it so that they measure the client alone;
/// the service's own behaviour under faults is tested with the service.
/// </summary>
public sealed class TestResponder : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private long _handled;

    private TestResponder(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <summary>Requests answered so far.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    public static async Task<TestResponder> StartAsync(string uri, string queue)
    {
        var connection = await RabbitConnection.CreateFactory(uri, "fibrpc-test-responder").CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var responder = new TestResponder(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += responder.AnswerAsync;
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return responder;
    }

    private async Task AnswerAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var n = int.Parse(Encoding.ASCII.GetString(delivery.Body.Span), CultureInfo.InvariantCulture);
        var properties = new BasicProperties { CorrelationId = delivery.BasicProperties.CorrelationId };
        try
        {
            await _channel.BasicPublishAsync(string.Empty, delivery.BasicProperties.ReplyTo!, mandatory: false, properties, Encoding.ASCII.GetBytes(Reference.Fibonacci(n)));
            Interlocked.Increment(ref _handled);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException)
        {
            // The broker went away with this request; its caller has been told its reply is lost.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.CloseAsync();
        _connection.Dispose();
    }
}

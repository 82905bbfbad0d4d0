using System.Text;
using FibRpc.Contract;
using FibRpc.Service.Binding;
using RabbitMQ.Client;

namespace FibRpc.Tests.Binding;

/// <summary>The local trigger host must hand the handler what the function gets from binding data.</summary>
public sealed class DeliveredPropertiesTests
{
    [Fact]
    public void A_delivery_reads_like_the_same_message_through_binding_data()
    {
        var delivered = new BasicProperties
        {
            ContentType = "text/plain",
            CorrelationId = "c-1",
            ReplyTo = "amq.gen-abc",
            MessageId = "m-1",
            Headers = new Dictionary<string, object?>
            {
                ["traceparent"] = Encoding.UTF8.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                [RpcNames.RequeueCountHeader] = 2,
                ["x-custom-long"] = 1234567890123L,
                ["x-flag"] = true,
            },
        };

        var fromDelivery = DeliveredProperties.From(delivered, redelivered: false);
        var fromBindingData = BindingDataReader.Read(BindingDataFixtures.Case("retried-with-traceparent"));

        Assert.Equal(fromBindingData.ReplyTo, fromDelivery.ReplyTo);
        Assert.Equal(fromBindingData.CorrelationId, fromDelivery.CorrelationId);
        Assert.Equal(fromBindingData.MessageId, fromDelivery.MessageId);
        Assert.Equal(fromBindingData.ContentType, fromDelivery.ContentType);
        Assert.Equal(fromBindingData.Headers.OrderBy(h => h.Key), fromDelivery.Headers.OrderBy(h => h.Key));
    }

    [Fact]
    public void Absent_properties_read_as_null()
    {
        var properties = DeliveredProperties.From(new BasicProperties(), redelivered: true);
        Assert.Null(properties.ReplyTo);
        Assert.Null(properties.CorrelationId);
        Assert.Empty(properties.Headers);
        Assert.True(properties.Redelivered);
    }
}

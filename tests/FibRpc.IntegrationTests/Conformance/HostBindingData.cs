using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests.Conformance;

/// <summary>
/// The binding data the Functions host hands an isolated worker for a delivery, written the way the host writes it:
/// <c>BasicProperties</c> as the JSON Newtonsoft makes of RabbitMQ.Client 6's <c>IBasicProperties</c> (PascalCase, in
/// its property order, AMQP strings as base64 because they are byte arrays there, the timestamp as
/// <c>{"UnixTime":...}</c>), and <c>DeliveryTag</c>, <c>Redelivered</c> and the rest as text.
/// </summary>
internal static class HostBindingData
{
    public static Dictionary<string, object?> From(ulong deliveryTag, bool redelivered, string exchange, string routingKey, IReadOnlyBasicProperties properties) =>
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["BasicProperties"] = Json(properties),
            ["DeliveryTag"] = deliveryTag.ToString(CultureInfo.InvariantCulture),
            ["Redelivered"] = redelivered ? "true" : "false",
            ["Exchange"] = exchange,
            ["RoutingKey"] = routingKey,
        };

    public static string Json(IReadOnlyBasicProperties properties)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("ContentType", properties.IsContentTypePresent() ? properties.ContentType : null);
            json.WriteString("ContentEncoding", properties.IsContentEncodingPresent() ? properties.ContentEncoding : null);
            json.WritePropertyName("Headers");
            Value(json, properties.Headers);
            json.WriteNumber("DeliveryMode", properties.IsDeliveryModePresent() ? (int)properties.DeliveryMode : 0);
            json.WriteNumber("Priority", properties.IsPriorityPresent() ? properties.Priority : 0);
            json.WriteString("CorrelationId", properties.IsCorrelationIdPresent() ? properties.CorrelationId : null);
            json.WriteString("ReplyTo", properties.IsReplyToPresent() ? properties.ReplyTo : null);
            json.WriteString("Expiration", properties.IsExpirationPresent() ? properties.Expiration : null);
            json.WriteString("MessageId", properties.IsMessageIdPresent() ? properties.MessageId : null);
            json.WriteStartObject("Timestamp");
            json.WriteNumber("UnixTime", properties.IsTimestampPresent() ? properties.Timestamp.UnixTime : 0);
            json.WriteEndObject();
            json.WriteString("Type", properties.IsTypePresent() ? properties.Type : null);
            json.WriteString("UserId", properties.IsUserIdPresent() ? properties.UserId : null);
            json.WriteString("AppId", properties.IsAppIdPresent() ? properties.AppId : null);
            json.WriteNull("ClusterId");
            json.WriteNumber("ProtocolClassId", 60);
            json.WriteString("ProtocolClassName", "basic");
            json.WriteBoolean("Persistent", properties.IsDeliveryModePresent() && properties.DeliveryMode == DeliveryModes.Persistent);
            json.WriteNull("ReplyToAddress");
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Value(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case byte[] bytes:
                json.WriteBase64StringValue(bytes);
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case double or float:
                json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case sbyte or byte or short or ushort or int or uint or long:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case IDictionary<string, object?> table:
                json.WriteStartObject();
                foreach (var (name, item) in table)
                {
                    json.WritePropertyName(name);
                    Value(json, item);
                }

                json.WriteEndObject();
                break;
            case IEnumerable list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    Value(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}

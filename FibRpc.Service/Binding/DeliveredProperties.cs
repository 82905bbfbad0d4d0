using System.Globalization;
using RabbitMQ.Client;

namespace FibRpc.Service.Binding;

/// <summary>Builds <see cref="RequestProperties"/> from a delivery received with RabbitMQ.Client (the local trigger host).</summary>
public static class DeliveredProperties
{
    public static RequestProperties From(IReadOnlyBasicProperties properties, bool redelivered)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var headers = properties.Headers is { Count: > 0 } raw ? Normalise(raw) : RequestProperties.NoHeaders;
        return new RequestProperties(
            ReplyTo: properties.IsReplyToPresent() ? properties.ReplyTo : null,
            CorrelationId: properties.IsCorrelationIdPresent() ? properties.CorrelationId : null,
            Headers: headers,
            MessageId: properties.IsMessageIdPresent() ? properties.MessageId : null,
            Redelivered: redelivered,
            Expiration: properties.IsExpirationPresent() ? properties.Expiration : null,
            Timestamp: properties.IsTimestampPresent() ? properties.Timestamp.UnixTime : 0)
        {
            ContentType = properties.IsContentTypePresent() ? properties.ContentType : null,
            ContentEncoding = properties.IsContentEncodingPresent() ? properties.ContentEncoding : null,
            DeliveryMode = properties.IsDeliveryModePresent() ? (byte)properties.DeliveryMode : (byte)0,
            Priority = properties.IsPriorityPresent() ? properties.Priority : (byte)0,
            Type = properties.IsTypePresent() ? properties.Type : null,
            AppId = properties.IsAppIdPresent() ? properties.AppId : null,
        };
    }

    private static Dictionary<string, object?> Normalise(IDictionary<string, object?> headers) =>
        headers.ToDictionary(header => header.Key, header => Normalise(header.Value), StringComparer.Ordinal);

    private static object? Normalise(object? value) => value switch
    {
        byte[] bytes => HeaderValues.TextOrBytes(bytes),
        sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float single => (double)single,
        _ => value,
    };
}

using System.Globalization;
using System.Text.Json;

namespace FibRpc.Service.Binding;

/// <summary>
/// Reads the binding data that the Functions host hands an isolated worker for a RabbitMQ-triggered message.
/// <c>BasicProperties</c> is a JSON string written by Newtonsoft from the host's RabbitMQ.Client 6
/// <c>IBasicProperties</c>: PascalCase names, AMQP string headers base64-encoded (they were byte[]), numeric headers
/// as JSON numbers. <c>DeliveryTag</c> and <c>Redelivered</c> arrive as text.
/// </summary>
public static class BindingDataReader
{
    public const string BasicPropertiesKey = "BasicProperties";
    public const string RedeliveredKey = "Redelivered";

    /// <exception cref="FormatException">The <c>BasicProperties</c> entry is not the JSON the host writes.</exception>
    public static RequestProperties Read(IReadOnlyDictionary<string, object?> bindingData)
    {
        ArgumentNullException.ThrowIfNull(bindingData);

        var redelivered = Find(bindingData, RedeliveredKey) switch
        {
            bool flag => flag,
            string text => bool.TryParse(text.Trim('"'), out var flag) && flag,
            _ => false,
        };

        var json = Find(bindingData, BasicPropertiesKey) switch
        {
            null => null,
            string text => text,
            JsonElement element => element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText(),
            byte[] utf8 => System.Text.Encoding.UTF8.GetString(utf8),
            var other => other.ToString(),
        };

        if (string.IsNullOrWhiteSpace(json))
        {
            return new RequestProperties(null, null, RequestProperties.NoHeaders, Redelivered: redelivered);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return FromJson(document.RootElement, redelivered);
        }
        catch (JsonException e)
        {
            throw new FormatException($"binding data '{BasicPropertiesKey}' is not valid JSON: {e.Message}", e);
        }
    }

    private static RequestProperties FromJson(JsonElement properties, bool redelivered)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"binding data '{BasicPropertiesKey}' is a JSON {properties.ValueKind}, not an object");
        }

        return new RequestProperties(
            ReplyTo: StringProperty(properties, "ReplyTo"),
            CorrelationId: StringProperty(properties, "CorrelationId"),
            Headers: ReadHeaders(properties),
            MessageId: StringProperty(properties, "MessageId"),
            Redelivered: redelivered,
            Expiration: StringProperty(properties, "Expiration"),
            Timestamp: UnixTime(properties))
        {
            ContentType = StringProperty(properties, "ContentType"),
            ContentEncoding = StringProperty(properties, "ContentEncoding"),
            DeliveryMode = ByteProperty(properties, "DeliveryMode"),
            Priority = ByteProperty(properties, "Priority"),
            Type = StringProperty(properties, "Type"),
            AppId = StringProperty(properties, "AppId"),
        };
    }

    private static byte ByteProperty(JsonElement properties, string name) =>
        properties.TryGetPropertyIgnoreCase(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetByte(out var number)
            ? number
            : (byte)0;

    /// <summary>Newtonsoft writes RabbitMQ.Client 6's AmqpTimestamp as <c>{"UnixTime": seconds}</c>.</summary>
    private static long UnixTime(JsonElement properties) =>
        properties.TryGetPropertyIgnoreCase("Timestamp", out var timestamp)
        && timestamp.TryGetPropertyIgnoreCase("UnixTime", out var seconds)
        && seconds.ValueKind == JsonValueKind.Number && seconds.TryGetInt64(out var unixTime)
            ? unixTime
            : 0;

    private static string? StringProperty(JsonElement properties, string name) =>
        properties.TryGetPropertyIgnoreCase(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyDictionary<string, object?> ReadHeaders(JsonElement properties)
    {
        if (!properties.TryGetPropertyIgnoreCase("Headers", out var headers) || headers.ValueKind != JsonValueKind.Object)
        {
            return RequestProperties.NoHeaders;
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var header in headers.EnumerateObject())
        {
            result[header.Name] = HeaderValue(header.Value);
        }

        return result;
    }

    private static object? HeaderValue(JsonElement value) => value.ValueKind switch
    {
        // Newtonsoft writes byte[] as base64: the header was an AMQP string.
        JsonValueKind.String => value.TryGetBytesFromBase64(out var bytes) ? HeaderValues.TextOrBytes(bytes) : value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var integer) ? integer
            : value.TryGetDouble(out var real) ? real
            : value.GetRawText(), // beyond double's range: kept as text, which no counter reads as a number
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    // The host's dictionary ignores case; a plain one (tests, other hosts) may not.
    private static object? Find(IReadOnlyDictionary<string, object?> bindingData, string key) =>
        bindingData.TryGetValue(key, out var value)
            ? value
            : bindingData.FirstOrDefault(entry => entry.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>A property by name, ignoring case as the Functions host does.</summary>
    private static bool TryGetPropertyIgnoreCase(this JsonElement element, string name, out JsonElement value)
    {
        value = element.ValueKind != JsonValueKind.Object ? default
            : element.TryGetProperty(name, out var exact) ? exact
            : element.EnumerateObject()
                .FirstOrDefault(property => property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
        return value.ValueKind != JsonValueKind.Undefined;
    }
}

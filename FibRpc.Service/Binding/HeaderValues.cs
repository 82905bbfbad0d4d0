using System.Globalization;
using System.Text;
using FibRpc.Contract;

namespace FibRpc.Service.Binding;

/// <summary>
/// Normalises AMQP header values to the forms <see cref="RequestProperties.Headers"/> promises, and reads the counters
/// the broker and the trigger put there. Headers come from whoever published the request: nothing here may throw,
/// whatever the type, size or sign of a value.
/// </summary>
internal static class HeaderValues
{
    /// <summary>The header with which a quorum queue counts earlier deliveries of a message.</summary>
    public const string DeliveryCountHeader = "x-delivery-count";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>AMQP long strings arrive as bytes; text is what every consumer of a header wants.</summary>
    public static object TextOrBytes(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return bytes;
        }
    }

    /// <summary>The trigger's requeue counter, clamped to 0..int.MaxValue; 0 when absent or not a number.</summary>
    public static int RequeueCount(IReadOnlyDictionary<string, object?> headers) => Count(headers, RpcNames.RequeueCountHeader);

    /// <summary>A quorum queue's count of earlier deliveries, clamped to 0..int.MaxValue; 0 when absent.</summary>
    public static int DeliveryCount(IReadOnlyDictionary<string, object?> headers) => Count(headers, DeliveryCountHeader);

    /// <summary>
    /// Whether the Functions host can handle the requeue header after a failed attempt. It reads it with
    /// <c>Convert.ToInt32(value) + 1</c>, unchecked: a string (an AMQP long string reaches it as bytes), a table or
    /// array throws inside its consumer callback and stalls it; int.MaxValue wraps round to a negative count and a
    /// negative count postpones the dead-lettering; so only an absent header, or a number or boolean within
    /// 0..int.MaxValue - 1, is safe.
    /// </summary>
    public static bool HostCanCountRequeues(IReadOnlyDictionary<string, object?> headers)
    {
        if (!headers.TryGetValue(RpcNames.RequeueCountHeader, out var value) || value is null)
        {
            return true;
        }

        return value switch
        {
            bool => true,
            long integer => integer is >= 0 and < int.MaxValue,
            double real => double.IsFinite(real) && Math.Round(real, MidpointRounding.ToEven) is >= 0 and < int.MaxValue,
            _ => false,
        };
    }

    private static int Count(IReadOnlyDictionary<string, object?> headers, string name)
    {
        if (!headers.TryGetValue(name, out var value) || value is null)
        {
            return 0;
        }

        return value switch
        {
            long integer => Clamp(integer),
            double real when double.IsFinite(real) => Clamp((long)Math.Clamp(real, long.MinValue, long.MaxValue)),
            string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => Clamp(parsed),
            _ => 0,
        };
    }

    private static int Clamp(long value) => (int)Math.Clamp(value, 0, int.MaxValue);
}

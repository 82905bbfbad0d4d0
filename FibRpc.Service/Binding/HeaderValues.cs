using System.Globalization;
using System.Text;
using FibRpc.Contract;

namespace FibRpc.Service.Binding;

/// <summary>Normalises AMQP header values to the forms <see cref="RequestProperties.Headers"/> promises.</summary>
internal static class HeaderValues
{
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

    /// <summary>Reads the trigger's requeue counter, which may be any integral AMQP type (or text).</summary>
    public static int RequeueCount(IReadOnlyDictionary<string, object?> headers)
    {
        if (!headers.TryGetValue(RpcNames.RequeueCountHeader, out var value) || value is null)
        {
            return 0;
        }

        return value switch
        {
            string text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => Math.Max(0, parsed),
            string => 0,
            IConvertible convertible => Math.Max(0, convertible.ToInt32(CultureInfo.InvariantCulture)),
            _ => 0,
        };
    }
}

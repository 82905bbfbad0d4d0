using System.Text;
using System.Text.Unicode;
using FibRpc.Contract;

namespace FibRpc.Service.Binding;

/// <summary>
/// Normalises AMQP header values to the forms <see cref="RequestProperties.Headers"/> promises, and predicts what the
/// Functions host makes of its requeue header. Headers come from whoever published the request: nothing here may
/// throw, whatever the type, size or sign of a value.
/// </summary>
internal static class HeaderValues
{
    /// <summary>The header with which a quorum queue counts earlier deliveries of a message.</summary>
    public const string DeliveryCountHeader = "x-delivery-count";

    /// <summary>The attempt at which the Functions host (RabbitMQ extension 2.x) rejects a failed request instead of republishing it.</summary>
    public const int FunctionsHostAttempts = 5;

    /// <summary>AMQP long strings arrive as bytes; text is what every consumer of a header wants.</summary>
    public static object TextOrBytes(byte[] bytes) => Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : bytes;

    /// <summary>
    /// What the Functions host computes after a failed attempt: <c>Convert.ToInt32(header) + 1</c>, unchecked. Null
    /// when it cannot: a string (an AMQP long string reaches it as bytes), a table or an array throws inside its
    /// consumer callback, which leaves the delivery unsettled and stalls its consumer for good; numbers beyond int32
    /// throw the same way; int.MaxValue wraps round to a negative count and a negative count never reaches the
    /// limit, so those are treated as uncountable too.
    /// </summary>
    public static int? HostNextRequeueCount(IReadOnlyDictionary<string, object?> headers)
    {
        if (!headers.TryGetValue(RpcNames.RequeueCountHeader, out var value) || value is null)
        {
            return 1;
        }

        long? count = value switch
        {
            bool flag => flag ? 1 : 0,
            long integer => integer,
            double real when double.IsFinite(real) && Math.Abs(real) < long.MaxValue => (long)Math.Round(real, MidpointRounding.ToEven),
            _ => null,
        };
        return count is >= 0 and < int.MaxValue ? (int)count + 1 : null;
    }

    /// <summary>Whether the Functions host can carry out a throw for this request (retry or reject) without stalling.</summary>
    public static bool HostCanCountRequeues(IReadOnlyDictionary<string, object?> headers) => HostNextRequeueCount(headers) is not null;

    /// <summary>Whether a throw makes the Functions host reject the request into the dead-letter exchange rather than republish it.</summary>
    public static bool HostRejectsOnThrow(IReadOnlyDictionary<string, object?> headers) =>
        HostNextRequeueCount(headers) is >= FunctionsHostAttempts;
}

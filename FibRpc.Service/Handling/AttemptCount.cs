using System.Globalization;
using FibRpc.Contract;
using FibRpc.Service.Binding;

namespace FibRpc.Service.Handling;

/// <summary>
/// Which attempt at a request this delivery is, from the evidence only a host or the broker could have written: the
/// requeue header <c>x-ms-rabbitmq-requeuecount</c> as an integer in the range a host writes (the Functions host
/// 1..4, the local trigger host 1..MaxAttempts - 1), a quorum queue's <c>x-delivery-count</c> on a redelivery only
/// (the broker adds it with <c>redelivered</c>; on a first delivery it was copied or forged), and <c>redelivered</c>.
/// Anything else in those headers is ignored, and said so: a counter that nobody could have written never denies an
/// answer.
/// </summary>
/// <param name="Attempt">1 for a first attempt.</param>
/// <param name="Ignored">What was ignored and why, for a log line; null when every counter was trusted or absent.</param>
public readonly record struct AttemptCount(int Attempt, string? Ignored)
{
    public static AttemptCount Of(RequestProperties properties, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var headers = properties.Headers;
        string? ignored = null;

        var requeues = 0;
        if (headers.TryGetValue(RpcNames.RequeueCountHeader, out var requeueValue) && requeueValue is not null)
        {
            var largest = Math.Max(maxAttempts, HeaderValues.FunctionsHostAttempts) - 1;
            if (requeueValue is long count && count >= 0 && count <= largest)
            {
                requeues = (int)count;
            }
            else
            {
                ignored = $"{RpcNames.RequeueCountHeader} = {Describe(requeueValue)} (no host writes that; a host writes 0..{largest})";
            }
        }

        var deliveries = 0;
        if (properties.Redelivered && headers.TryGetValue(HeaderValues.DeliveryCountHeader, out var deliveryValue) && deliveryValue is not null)
        {
            if (deliveryValue is long count && count >= 0)
            {
                deliveries = (int)Math.Min(count, int.MaxValue - 1);
            }
            else
            {
                ignored ??= $"{HeaderValues.DeliveryCountHeader} = {Describe(deliveryValue)} (the broker writes a non-negative integer)";
            }
        }

        var earlier = Math.Max(Math.Max(requeues, deliveries), properties.Redelivered ? 1 : 0);
        return new AttemptCount(earlier + 1, ignored);
    }

    private static string Describe(object value) => value switch
    {
        string text => $"\"{(text.Length > 40 ? text[..40] + "..." : text)}\" (text)",
        byte[] bytes => $"{bytes.Length} bytes",
        long or double or bool => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        _ => "a table or array",
    };
}

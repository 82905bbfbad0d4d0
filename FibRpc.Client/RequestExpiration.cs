using System.Globalization;

namespace FibRpc.Client;

/// <summary>
/// The AMQP <c>expiration</c> of a request: the time its caller still waits, in whole milliseconds, rounded up so
/// that the broker never drops a request its caller still awaits.
/// </summary>
internal static class RequestExpiration
{
    public static string For(TimeSpan remaining) =>
        Math.Max(1L, (long)Math.Ceiling(remaining.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}

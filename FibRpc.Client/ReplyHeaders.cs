using System.Text;

namespace FibRpc.Client;

/// <summary>A reply's AMQP headers with long strings (bytes on the wire) as text, the form the trace context is read from.</summary>
internal static class ReplyHeaders
{
    public static IReadOnlyDictionary<string, object?> AsText(IDictionary<string, object?> headers)
    {
        var text = new Dictionary<string, object?>(headers.Count, StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            text[name] = value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value;
        }

        return text;
    }
}

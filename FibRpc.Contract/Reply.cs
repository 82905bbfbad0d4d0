using System.Text;

namespace FibRpc.Contract;

/// <summary>
/// A reply as the wire contract defines it, independent of the AMQP library that carries it: the correlation id
/// echoed, a body, and for an error reply the error (sent as <c>type</c> = <see cref="RpcNames.ErrorReplyType"/>
/// and the code in the <see cref="RpcNames.ErrorCodeHeader"/> header).
/// </summary>
public sealed record Reply(string? CorrelationId, ReadOnlyMemory<byte> Body, RpcError? Error)
{
    /// <summary>Every reply is text.</summary>
    public string ContentType => RpcNames.ReplyContentType;

    /// <summary>The AMQP <c>type</c> property: <see cref="RpcNames.ErrorReplyType"/> for errors, else none.</summary>
    public string? Type => Error is null ? null : RpcNames.ErrorReplyType;

    /// <summary>A success reply: the body is the decimal text of F(n).</summary>
    public static Reply Success(string? correlationId, ReadOnlyMemory<byte> digits) => new(correlationId, digits, null);

    /// <summary>An error reply: the body is <c>error &lt;code&gt;: &lt;message&gt;</c>, for people and for clients that know no error replies.</summary>
    public static Reply Failure(string? correlationId, RpcError error) =>
        new(correlationId, Encoding.UTF8.GetBytes($"error {error.Code}: {error.Message}"), error);
}

using System.Text;
using FibRpc.Contract;
using FibRpc.Service.Replies;

namespace FibRpc.Tests.Replies;

public sealed class ReplyMessageTests
{
    [Fact]
    public void Success_reply_is_plain_text_with_the_correlation_id()
    {
        var reply = Reply.Success("abc-1", "55"u8.ToArray());
        var properties = ReplyMessage.Properties(reply);
        Assert.Equal("text/plain", properties.ContentType);
        Assert.Equal("abc-1", properties.CorrelationId);
        Assert.Null(properties.Type);
        Assert.Null(properties.Headers);
        Assert.True(properties.Persistent, "a reply in a durable queue survives a broker restart");
        Assert.Equal("55", Encoding.ASCII.GetString(reply.Body.Span));
        Assert.Null(reply.Error);
    }

    [Fact]
    public void Error_reply_has_type_error_and_the_code_header()
    {
        var error = new RpcError(RpcErrorCodes.TooLarge, "n must be at most 10");
        var reply = Reply.Failure("c-9", error);
        var properties = ReplyMessage.Properties(reply);
        Assert.NotNull(reply.Error);
        Assert.Equal(RpcNames.ErrorReplyType, properties.Type);
        Assert.Equal("c-9", properties.CorrelationId);
        Assert.Equal("text/plain", properties.ContentType);
        Assert.Equal(RpcErrorCodes.TooLarge, properties.Headers![RpcNames.ErrorCodeHeader]);
        var body = Encoding.UTF8.GetString(reply.Body.Span);
        Assert.Equal("error too_large: n must be at most 10", body);
    }

    [Fact]
    public void Missing_correlation_id_stays_missing()
    {
        var properties = ReplyMessage.Properties(Reply.Success(null, "0"u8.ToArray()));
        Assert.Null(properties.CorrelationId);
        Assert.False(properties.IsCorrelationIdPresent());
    }

    [Fact]
    public void The_reply_carries_the_context_of_the_span_that_publishes_it()
    {
        using var span = new System.Diagnostics.Activity("send reply").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();
        span.TraceStateString = "vendor=1";
        Assert.Equal(span.Id, ReplyMessage.Properties(Reply.Success("c", "1"u8.ToArray()), span).Headers!["traceparent"]);
        var error = ReplyMessage.Properties(Reply.Failure("c", new RpcError(RpcErrorCodes.Negative, "no")), span);
        Assert.Equal(span.Id, error.Headers!["traceparent"]);
        Assert.Equal("vendor=1", error.Headers["tracestate"]);
        Assert.Equal(RpcErrorCodes.Negative, error.Headers[RpcNames.ErrorCodeHeader]);
    }

    [Fact]
    public void Without_a_span_the_reply_carries_no_trace_context()
    {
        var properties = ReplyMessage.Properties(Reply.Success("c", "1"u8.ToArray()));
        Assert.True(properties.Headers is null || !properties.Headers.ContainsKey("traceparent"));
    }

    [Theory]
    [InlineData("amq.rabbitmq.reply-to", false)]
    [InlineData("amq.rabbitmq.reply-to.g1h2AA5yZXBseUA0MjY3ODQ4MQAAJ0sAAAAAaF.abc==", false)]
    [InlineData("amq.gen-Xa2Lk1", true)]
    [InlineData("my-replies", true)]
    public void Replies_are_mandatory_except_to_direct_reply_to(string replyTo, bool mandatory)
    {
        Assert.Equal(mandatory, ReplyPolicy.IsMandatory(replyTo));
    }
}

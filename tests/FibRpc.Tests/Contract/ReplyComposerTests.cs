using System.Text;
using FibRpc.Contract;

namespace FibRpc.Tests.Contract;

public sealed class ReplyComposerTests
{
    [Fact]
    public void Success_reply_is_plain_text_with_the_correlation_id()
    {
        var properties = ReplyComposer.Success("abc-1");
        Assert.Equal("text/plain", properties.ContentType);
        Assert.Equal("abc-1", properties.CorrelationId);
        Assert.Null(properties.Type);
        Assert.Null(properties.Headers);
    }

    [Fact]
    public void Error_reply_has_type_error_and_the_code_header()
    {
        var error = new RpcError(RpcErrorCodes.TooLarge, "n must be at most 10");
        var properties = ReplyComposer.Error("c-9", error);
        Assert.Equal(RpcNames.ErrorReplyType, properties.Type);
        Assert.Equal("c-9", properties.CorrelationId);
        Assert.Equal("text/plain", properties.ContentType);
        Assert.Equal(RpcErrorCodes.TooLarge, properties.Headers![RpcNames.ErrorCodeHeader]);
        var body = Encoding.UTF8.GetString(ReplyComposer.ErrorBody(error));
        Assert.Contains(RpcErrorCodes.TooLarge, body, StringComparison.Ordinal);
        Assert.Contains("n must be at most 10", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_correlation_id_stays_missing()
    {
        Assert.Null(ReplyComposer.Success(null).CorrelationId);
        Assert.False(ReplyComposer.Success(null).IsCorrelationIdPresent());
    }

    [Fact]
    public void Trace_context_of_the_request_is_carried_on_the_reply()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        Assert.Equal(traceParent, ReplyComposer.Success("c", traceParent).Headers!["traceparent"]);
        var error = ReplyComposer.Error("c", new RpcError(RpcErrorCodes.Negative, "no"), traceParent);
        Assert.Equal(traceParent, error.Headers!["traceparent"]);
        Assert.Equal(RpcErrorCodes.Negative, error.Headers[RpcNames.ErrorCodeHeader]);
    }
}

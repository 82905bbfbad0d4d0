using FibRpc.Contract;
using FibRpc.Service.Binding;

namespace FibRpc.Tests.Binding;

public sealed class BindingDataReaderTests
{
    [Theory]
    [InlineData("minimal", "amq.gen-Jzd7eQbJ1qkE0n3Xg2Z1bA", "3f1c2a9e-5a7b-4f0e-9d4c-2b8e6f1a0c77")]
    [InlineData("direct-reply-to", "amq.rabbitmq.reply-to.g1h2AA5yZXBseUAxMjM0NTY3OAAAAAAAAAAB.7u9lOmJWY2hKqgr1Zf4k7A==", "42")]
    [InlineData("no-reply-to", null, "orphan")]
    [InlineData("no-correlation-id", "amq.gen-xyz", null)]
    [InlineData("unicode-correlation-id", "amq.gen-xyz", "日本-ü-\"quoted\"")]
    public void Reply_to_and_correlation_id_arrive_verbatim_or_as_null(string name, string? replyTo, string? correlationId)
    {
        var properties = BindingDataReader.Read(BindingDataFixtures.Case(name));
        Assert.Equal((replyTo, correlationId), (properties.ReplyTo, properties.CorrelationId));
    }

    [Fact]
    public void A_minimal_message_has_no_headers_and_is_not_redelivered()
    {
        var properties = BindingDataReader.Read(BindingDataFixtures.Case("minimal"));
        Assert.Empty(properties.Headers);
        Assert.False(properties.Redelivered);
    }

    [Fact]
    public void Headers_arrive_decoded_string_headers_from_base64_numbers_as_numbers()
    {
        var properties = BindingDataReader.Read(BindingDataFixtures.Case("retried-with-traceparent"));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", properties.Headers["traceparent"]);
        Assert.Equal(2L, properties.Headers[RpcNames.RequeueCountHeader]);
        Assert.Equal(("text/plain", (byte)2), (properties.ContentType, properties.DeliveryMode));
        Assert.Equal(1234567890123L, properties.Headers["x-custom-long"]);
        Assert.Equal(true, properties.Headers["x-flag"]);
        Assert.Equal("m-1", properties.MessageId);
        Assert.Equal("c-1", properties.CorrelationId);
        Assert.Equal("amq.gen-abc", properties.ReplyTo);
    }

    [Fact]
    public void Keys_are_found_whatever_their_case()
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["basicproperties"] = """{"replyTo":"q1","correlationId":"c"}""",
            ["redelivered"] = "True",
        };
        var properties = BindingDataReader.Read(data);
        Assert.Equal("q1", properties.ReplyTo);
        Assert.Equal("c", properties.CorrelationId);
        Assert.True(properties.Redelivered);
    }

    [Fact]
    public void No_basic_properties_means_no_reply_to()
    {
        var properties = BindingDataReader.Read(new Dictionary<string, object?>());
        Assert.Null(properties.ReplyTo);
        Assert.Null(properties.CorrelationId);
    }

    [Fact]
    public void Malformed_basic_properties_is_a_format_error_that_names_the_key()
    {
        var error = Assert.Throws<FormatException>(() => BindingDataReader.Read(new Dictionary<string, object?> { ["BasicProperties"] = "{not json" }));
        Assert.Contains("BasicProperties", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_string_header_that_is_not_utf8_stays_bytes()
    {
        var data = new Dictionary<string, object?> { ["BasicProperties"] = """{"ReplyTo":"q","Headers":{"blob":"/w=="}}""" };
        Assert.Equal(new byte[] { 0xFF }, BindingDataReader.Read(data).Headers["blob"]);
    }
}

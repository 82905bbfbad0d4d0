using FibRpc.Messaging;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Tests.Messaging;

/// <summary>A password in a broker URI never reaches a log line, an error message or telemetry.</summary>
public sealed class BrokerUriRedactionTests
{
    [Theory]
    [InlineData("amqp://fibrpc:s3cret@broker:5672/", "amqp://fibrpc:***@broker:5672/")]
    [InlineData("amqps://fibrpc:s3cret@broker/vhost", "amqps://fibrpc:***@broker/vhost")]
    [InlineData("amqp://u:p%40ss%3Aword@h/", "amqp://u:***@h/")]
    [InlineData("amqp://u:p@ss:word@h:1/", "amqp://u:***@h:1/")]
    [InlineData("amqp://broker:5672/", "amqp://broker:5672/")]
    [InlineData("amqp://user@broker/", "amqp://user@broker/")]
    [InlineData("failed: amqp://a:one@x/ and amqps://b:two@y:5671/", "failed: amqp://a:***@x/ and amqps://b:***@y:5671/")]
    public void Redact_MasksThePasswordOnly(string uri, string expected) => Assert.Equal(expected, BrokerUri.Redact(uri));

    [Fact]
    public void Scrub_RemovesThePasswordWhereverAMessageQuotesIt_AsWrittenAndDecoded()
    {
        const string uri = "amqp://fibrpc:p%40ssw0rd-42@broker/";

        var scrubbed = BrokerUri.Scrub("login as fibrpc with p%40ssw0rd-42 (p@ssw0rd-42) failed", uri);

        Assert.DoesNotContain("ssw0rd", scrubbed, StringComparison.Ordinal);
        Assert.Contains("fibrpc", scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_GivesTheWholeCause_WithoutThePassword()
    {
        const string uri = "amqp://fibrpc:hunter2-hunter2@broker/";
        var error = new BrokerUnreachableException(new AggregateException(new IOException($"could not reach {uri}", new InvalidOperationException("certificate refused: hunter2-hunter2"))));

        var line = ConnectionErrors.Describe(error, uri);

        Assert.Contains("could not reach amqp://fibrpc:***@broker/", line, StringComparison.Ordinal);
        Assert.Contains("certificate refused", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateFactory_RefusesACaFileForPlainAmqp_WithoutQuotingThePassword()
    {
        var error = Assert.Throws<BrokerUriException>(() => RabbitConnection.CreateFactory("amqp://u:topsecret@h/", "t", "/nonexistent/ca.pem"));

        Assert.Contains("amqps://", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }
}

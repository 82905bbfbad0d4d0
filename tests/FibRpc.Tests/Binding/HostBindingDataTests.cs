using System.Text;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Binding;
using FibRpc.Service.Handling;
using FibRpc.Tests.Handling;

namespace FibRpc.Tests.Binding;

/// <summary>
/// Every binding-data case in the Functions host's exact JSON (odd, huge, text and negative requeue headers, a forged
/// reply-to, redeliveries) run through the function's entry point: nothing is thrown that the host could not count
/// with, and the host's own arithmetic is predicted right. (That every case is answered, or refused or expired as the
/// outcome table says, under both hosts and a real broker: the integration tests' ConformanceTests.)
/// </summary>
public sealed class HostBindingDataTests
{
    private static FunctionTriggerAdapter Function(IConfirmedPublisher publisher) => TestHandlers.Function(publisher);

    [Theory]
    [MemberData(nameof(BindingDataFixtures.Names), MemberType = typeof(BindingDataFixtures))]
    public async Task When_the_reply_cannot_be_published_the_host_gets_a_throw_only_if_it_can_count_the_retry(string name)
    {
        var failures = Enumerable.Range(0, 3).Select(_ => (Exception)RecordingPublisher.Failed()).ToArray();
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, failures);
        var bindingData = BindingDataFixtures.Case(name);
        var properties = BindingDataReader.Read(bindingData);
        if (properties.ReplyTo is null || properties.ExpiresAt < DateTimeOffset.UtcNow)
        {
            return;
        }

        RequestRetryException? thrown = null;
        RequestResult? result = null;
        try
        {
            result = await Function(publisher).HandleAsync("10"u8.ToArray(), bindingData, CancellationToken.None);
        }
        catch (RequestRetryException e)
        {
            thrown = e;
        }

        if (HostCountsRequeues(properties.Headers))
        {
            Assert.True(thrown is not null, $"{name}: the host can count a retry, so the retry goes to it");
            Assert.Equal(Disposition.Retry, thrown.Result.Disposition);
        }
        else
        {
            Assert.True(thrown is null, $"{name}: the host would stall on this requeue header, yet the service threw");
            Assert.Equal(Disposition.Retry, result!.Value.Disposition);
            var (queue, copy, _) = Assert.Single(publisher.Published);
            Assert.Equal(RpcNames.Queue, queue);
            Assert.True(HostCountsRequeues(copy.Headers!.ToDictionary()), $"{name}: the requeued copy carries a count the host can read");
            Assert.Equal(properties.CorrelationId, copy.CorrelationId);
        }
    }

    /// <summary>What the Functions host does with the header after a failure, replayed: <c>Convert.ToInt32(value) + 1</c>, unchecked.</summary>
    private static bool HostCountsRequeues(IReadOnlyDictionary<string, object?> headers)
    {
        if (!headers.TryGetValue(RpcNames.RequeueCountHeader, out var value))
        {
            return true;
        }

        // What the host's RabbitMQ.Client 6 hands it: AMQP long strings as bytes (tables and arrays reach this test as JSON text, just as unreadable to it).
        var hostValue = value is string text ? Encoding.UTF8.GetBytes(text) : value;
        try
        {
            var next = unchecked(Convert.ToInt32(hostValue, System.Globalization.CultureInfo.InvariantCulture) + 1);
            return next >= 1;
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException)
        {
            return false;
        }
    }

    [Theory]
    [InlineData("requeuecount-int64-2pow40", 1, false)]
    [InlineData("requeuecount-int32-max", 1, false)]
    [InlineData("requeuecount-negative", 1, false)]
    [InlineData("requeuecount-string-digits", 1, false)]
    [InlineData("requeuecount-string-junk", 1, false)]
    [InlineData("requeuecount-double", 1, true)]
    [InlineData("requeuecount-bool", 1, true)]
    [InlineData("requeuecount-table", 1, false)]
    [InlineData("requeuecount-array", 1, false)]
    [InlineData("requeuecount-void", 1, true)]
    [InlineData("retried-with-traceparent", 3, true)]
    [InlineData("minimal", 1, true)]
    [InlineData("redelivered", 2, true)]
    [InlineData("quorum-delivery-count", 2, true)]
    public void Attempts_count_from_the_hosts_header_redelivered_and_delivery_count_and_odd_headers_are_not_trusted(string name, int attempt, bool hostCanCount)
    {
        var properties = BindingDataReader.Read(BindingDataFixtures.Case(name));
        Assert.Equal(attempt, AttemptCount.Of(properties, new FibRpcOptions().MaxAttempts).Attempt);
        Assert.Equal(hostCanCount, HeaderValues.HostCanCountRequeues(properties.Headers));
        Assert.Equal(hostCanCount, HostCountsRequeues(properties.Headers));
    }

    [Fact]
    public void Expiration_and_timestamp_arrive_from_the_hosts_json()
    {
        var properties = BindingDataReader.Read(BindingDataFixtures.Case("expiration-and-timestamp"));
        Assert.Equal(("5000", 1_796_000_000L), (properties.Expiration, properties.Timestamp));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_796_000_006), properties.ExpiresAt);
        Assert.Null(BindingDataReader.Read(BindingDataFixtures.Case("minimal")).ExpiresAt);
    }
}

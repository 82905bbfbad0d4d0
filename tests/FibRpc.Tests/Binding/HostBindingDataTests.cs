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
/// with, attempts are counted from everything the broker tells, and the host's own arithmetic is predicted right.
/// </summary>
public sealed class HostBindingDataTests
{
    private static RequestHandler Handler(IConfirmedPublisher publisher) => TestHandlers.Create(publisher);

    [Theory]
    [MemberData(nameof(BindingDataFixtures.Names), MemberType = typeof(BindingDataFixtures))]
    public async Task Every_case_is_answered_on_a_healthy_broker(string name)
    {
        var publisher = new RecordingPublisher();
        var outcome = await Handler(publisher).HandleAsync("10"u8.ToArray(), BindingDataFixtures.Case(name), CancellationToken.None);
        if (name == "no-reply-to")
        {
            Assert.Equal(RequestOutcome.NoReplyTo, outcome);
            return;
        }

        if (BindingDataReader.Read(BindingDataFixtures.Case(name)).ExpiresAt < DateTimeOffset.UtcNow)
        {
            // Published long ago with a TTL: its caller gave up, so it is not answered.
            Assert.Equal(RequestOutcome.Expired, outcome);
            Assert.Empty(publisher.Published);
            return;
        }

        var (_, properties, body) = Assert.Single(publisher.Published);
        if (BindingDataReader.Read(BindingDataFixtures.Case(name)).Attempt > new FibRpcOptions().MaxAttempts)
        {
            // The requeue header claims more failed attempts than allowed: not computed again, and the client hears why.
            Assert.Equal(RequestOutcome.AttemptsExhausted, outcome);
            Assert.Equal(RpcErrorCodes.AttemptsExhausted, properties.Headers![RpcNames.ErrorCodeHeader]);
            return;
        }

        Assert.Equal(RequestOutcome.Answered, outcome);
        Assert.Equal("55", Encoding.ASCII.GetString(body));
    }

    [Theory]
    [MemberData(nameof(BindingDataFixtures.Names), MemberType = typeof(BindingDataFixtures))]
    public async Task When_the_reply_cannot_be_published_the_host_gets_a_throw_only_if_it_can_count_the_retry(string name)
    {
        var failures = Enumerable.Range(0, 3).Select(_ => (Exception)RecordingPublisher.Transient()).ToArray();
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, failures);
        var bindingData = BindingDataFixtures.Case(name);
        var properties = BindingDataReader.Read(bindingData);
        if (properties.ReplyTo is null || properties.ExpiresAt < DateTimeOffset.UtcNow)
        {
            return;
        }

        Exception? thrown = null;
        RequestOutcome? outcome = null;
        try
        {
            outcome = await Handler(publisher).HandleAsync("10"u8.ToArray(), bindingData, CancellationToken.None);
        }
        catch (PublishFailedException e)
        {
            thrown = e;
        }

        if (HostCountsRequeues(properties.Headers))
        {
            Assert.True(thrown is not null, $"{name}: the host can count a retry, so the failure goes to it");
        }
        else
        {
            Assert.True(thrown is null, $"{name}: the host would stall on this requeue header, yet the service threw");
            Assert.Equal(RequestOutcome.Requeued, outcome);
            var (queue, copy, _) = Assert.Single(publisher.Published);
            Assert.Equal(RpcNames.Queue, queue);
            Assert.True(HostCountsRequeues(copy.Headers!.ToDictionary()), $"{name}: the requeued copy carries a count the host can read");
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
        object? hostValue = value is string text ? Encoding.UTF8.GetBytes(text) : value;
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
    [InlineData("requeuecount-int64-2pow40", int.MaxValue, false)]
    [InlineData("requeuecount-int32-max", int.MaxValue, false)]
    [InlineData("requeuecount-negative", 0, false)]
    [InlineData("requeuecount-string-digits", 3, false)]
    [InlineData("requeuecount-string-junk", 0, false)]
    [InlineData("requeuecount-double", 1, true)]
    [InlineData("requeuecount-bool", 0, true)]
    [InlineData("requeuecount-table", 0, false)]
    [InlineData("requeuecount-array", 0, false)]
    [InlineData("requeuecount-void", 0, true)]
    [InlineData("retried-with-traceparent", 2, true)]
    [InlineData("minimal", 0, true)]
    public void Requeue_headers_of_any_type_are_read_without_throwing(string name, int requeueCount, bool hostCanCount)
    {
        var properties = BindingDataReader.Read(BindingDataFixtures.Case(name));
        Assert.Equal(requeueCount, properties.RequeueCount);
        Assert.Equal(hostCanCount, properties.HostCanCountRequeues);
        Assert.Equal(hostCanCount, HostCountsRequeues(properties.Headers));
    }

    [Theory]
    [InlineData("minimal", 1)]
    [InlineData("redelivered", 2)]
    [InlineData("quorum-delivery-count", 2)]
    [InlineData("retried-with-traceparent", 3)]
    [InlineData("requeuecount-int64-2pow40", int.MaxValue)]
    public void Attempts_count_from_the_requeue_header_redelivered_and_delivery_count(string name, int attempt)
    {
        Assert.Equal(attempt, BindingDataReader.Read(BindingDataFixtures.Case(name)).Attempt);
    }

    [Fact]
    public void Expiration_and_timestamp_arrive_from_the_hosts_json()
    {
        var properties = BindingDataReader.Read(BindingDataFixtures.Case("expiration-and-timestamp"));
        Assert.Equal(("5000", 1_796_000_000L), (properties.Expiration, properties.Timestamp));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_796_000_006), properties.ExpiresAt);
        Assert.Null(BindingDataReader.Read(BindingDataFixtures.Case("minimal")).ExpiresAt);
    }

    [Fact]
    public async Task A_forged_direct_reply_to_that_the_broker_refuses_is_undeliverable_not_retried()
    {
        var publisher = new RecordingPublisher(PublishOutcome.Confirmed, RecordingPublisher.Transient(PublishFailure.Refused));
        var outcome = await Handler(publisher).HandleAsync("10"u8.ToArray(), BindingDataFixtures.Case("forged-direct-reply-to"), CancellationToken.None);
        Assert.Equal(RequestOutcome.ReplyUndeliverable, outcome);
        Assert.Single(publisher.Attempts);
    }
}

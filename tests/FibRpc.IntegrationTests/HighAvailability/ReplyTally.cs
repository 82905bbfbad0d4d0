using System.Collections.Concurrent;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Service.Handling;
using RabbitMQ.Client;

namespace FibRpc.IntegrationTests.HighAvailability;

/// <summary>
/// Counts the replies the service under test publishes, per correlation id. Replies are at least once: a request
/// redelivered after its reply was confirmed (its worker's connection went before the ack reached the broker) is
/// answered again. The service is the one place where every such duplicate shows, whether or not the client was
/// still there to receive it; the client sees only those that reached it (<c>FibRpcClient.UnmatchedReplies</c>).
/// </summary>
public sealed class ReplyTally(string requestQueue)
{
    private readonly string _requestQueue = requestQueue;
    private readonly ConcurrentDictionary<string, int> _confirmedPerCall = new(StringComparer.Ordinal);
    private long _attempts;
    private long _toDirectReplyTo;

    /// <summary>Reply publishes begun, confirmed or not: no client can have received more replies than this.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Replies the broker confirmed.</summary>
    public long Confirmed => _confirmedPerCall.Values.Sum(count => (long)count);

    /// <summary>Confirmed replies addressed to direct reply-to (<c>amq.rabbitmq.reply-to.*</c>).</summary>
    public long ToDirectReplyTo => Interlocked.Read(ref _toDirectReplyTo);

    /// <summary>Requests answered with a confirmed reply more than once.</summary>
    public int AnsweredMoreThanOnce => _confirmedPerCall.Values.Count(count => count > 1);

    /// <summary>Confirmed replies beyond the first of their correlation id: the duplicates.</summary>
    public long DuplicateReplies => _confirmedPerCall.Values.Where(count => count > 1).Sum(count => (long)count - 1);

    public IConfirmedPublisher Wrap(IConfirmedPublisher inner) => new CountingPublisher(this, inner);

    private sealed class CountingPublisher(ReplyTally tally, IConfirmedPublisher inner) : IConfirmedPublisher
    {
        public async Task<PublishOutcome> PublishAsync(string queue, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            // The trigger's retry copies go to the request queue and the start-up warm-up to a queue of its own:
            // neither is a reply.
            if (queue == tally._requestQueue || queue.StartsWith(RequestService.WarmUpQueuePrefix, StringComparison.Ordinal) || properties.CorrelationId is not { } id)
            {
                return await inner.PublishAsync(queue, mandatory, properties, body, cancellationToken).ConfigureAwait(false);
            }

            Interlocked.Increment(ref tally._attempts);
            var outcome = await inner.PublishAsync(queue, mandatory, properties, body, cancellationToken).ConfigureAwait(false);
            if (outcome == PublishOutcome.Confirmed)
            {
                tally._confirmedPerCall.AddOrUpdate(id, 1, static (_, count) => count + 1);
                if (queue.StartsWith(RpcNames.DirectReplyTo + ".", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref tally._toDirectReplyTo);
                }
            }

            return outcome;
        }
    }
}

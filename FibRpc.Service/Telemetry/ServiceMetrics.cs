using System.Diagnostics;
using System.Diagnostics.Metrics;
using FibRpc.Messaging.Telemetry;

namespace FibRpc.Service.Telemetry;

/// <summary>
/// The service's instruments, on one meter named after the service. Made from the container's
/// <see cref="IMeterFactory"/> when there is one, so that two hosts in one process (tests) count apart.
/// </summary>
public sealed class ServiceMetrics
{
    /// <summary>
    /// Seconds, from F(10) (a table lookup and a confirmed publish: tens of µs) to F(10^6) (about 209,000 digits:
    /// tens of ms to compute, more to publish) and the slow tail of a confirm under a broker alarm.
    /// </summary>
    internal static readonly double[] DurationBuckets =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly InstrumentAdvice<double> DurationAdvice = new() { HistogramBucketBoundaries = DurationBuckets };

    private readonly Histogram<double> _computation;
    private readonly Histogram<double> _replyConfirm;
    private readonly Histogram<double> _processDuration;
    private readonly Counter<long> _consumed;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _deploymentFaults;

    public ServiceMetrics(IMeterFactory? meterFactory)
    {
        Meter = meterFactory?.Create(FibRpcTelemetry.Name) ?? new Meter(FibRpcTelemetry.Name);
        _computation = Meter.CreateHistogram<double>("fibrpc.computation.duration", "s", "Time to compute F(n)", advice: DurationAdvice);
        _replyConfirm = Meter.CreateHistogram<double>("fibrpc.reply.confirm.duration", "s", "Time from publishing a reply to the broker's confirm, retries included", advice: DurationAdvice);
        // One measurement per request: its count is the number of requests by outcome, its sum the time they took.
        _processDuration = Meter.CreateHistogram<double>(
            "messaging.process.duration", "s",
            "Time from the handler's start to its end, reply confirmed included, by outcome (ok, bad_request, service_error, refused, undeliverable, expired, retried, dead_lettered) and error.type",
            advice: DurationAdvice);
        _consumed = Meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Requests delivered to the handler");
        _sent = Meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Replies the service published");
        _deploymentFaults = Meter.CreateCounter<long>("fibrpc.deployment.faults", "{fault}", "Replies the broker refused for a fault of the deployment (no permission to publish, a missing exchange or virtual host)");
    }

    /// <summary>The meter, for tests that listen to this instance only.</summary>
    public Meter Meter { get; }

    public void Consumed(string queue) =>
        _consumed.Add(1, Messaging(MessagingAttributes.Process, queue));

    /// <summary>A request was handled: one measurement of <c>messaging.process.duration</c> with its outcome.</summary>
    public void Handled(string queue, string outcome, string? errorType, TimeSpan elapsed)
    {
        var process = Messaging(MessagingAttributes.Process, queue);
        process.Add(RequestOutcomeLabels.Name, outcome);
        if (errorType is not null)
        {
            process.Add(MessagingAttributes.ErrorType, errorType);
        }

        _processDuration.Record(elapsed.TotalSeconds, process);
    }

    public void DeploymentFault(string fault) => _deploymentFaults.Add(1, new KeyValuePair<string, object?>(MessagingAttributes.ErrorType, fault));

    public void Computed(TimeSpan elapsed) => _computation.Record(elapsed.TotalSeconds);

    public void ReplyPublished(string destination, string? errorType, TimeSpan elapsed)
    {
        var tags = Messaging(MessagingAttributes.Send, destination);
        if (errorType is not null)
        {
            tags.Add(MessagingAttributes.ErrorType, errorType);
        }

        _sent.Add(1, tags);
        _replyConfirm.Record(elapsed.TotalSeconds, errorType is null ? default : new TagList { { MessagingAttributes.ErrorType, errorType } });
    }

    private static TagList Messaging(string operation, string destination) => new()
    {
        { MessagingAttributes.System, MessagingAttributes.RabbitMq },
        { MessagingAttributes.OperationName, operation },
        { MessagingAttributes.DestinationName, destination },
    };
}

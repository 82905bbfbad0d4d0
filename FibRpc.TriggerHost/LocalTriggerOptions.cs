namespace FibRpc.TriggerHost;

/// <summary>Settings of the local trigger host (how many attempts a request gets is the service's <c>FibRpc:MaxAttempts</c>).</summary>
public sealed class LocalTriggerOptions
{
    /// <summary>Unacked deliveries per consumer, as host.json's extensions.rabbitMQ.prefetchCount.</summary>
    public ushort PrefetchCount { get; set; } = 1;

    /// <summary>Whether to warm up (reply connection, engine, reply path) before the consumer attaches; on by default.</summary>
    public bool WarmUp { get; set; } = true;
}

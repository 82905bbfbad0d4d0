namespace FibRpc.TriggerHost;

/// <summary>Settings of the local trigger host.</summary>
public sealed class LocalTriggerOptions
{
    /// <summary>Unacked deliveries per consumer, as host.json's extensions.rabbitMQ.prefetchCount.</summary>
    public ushort PrefetchCount { get; set; } = 1;

    /// <summary>Attempts before a failing request is rejected into the dead-letter queue (the Functions host uses 5).</summary>
    public int MaxAttempts { get; set; } = 5;
}

using RabbitMQ.Client;

namespace FibRpc.Testing;

/// <summary>
/// Waits until a queue has as many consumers as the caller started for it (the run plan, the capacity table), asking
/// the broker (a passive declare returns the consumer count). A consumer counted there is one the broker will deliver
/// to, which no line of a process's log can promise; the processes are watched too, so that one that dies fails the
/// wait at once. One source file, linked into tests/FibRpc.IntegrationTests and bench/FibRpc.Benchmarks.
/// </summary>
internal static class ConsumerReadiness
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <param name="connection">A connection to the broker the consumers attach to.</param>
    /// <param name="queue">The queue, which must exist.</param>
    /// <param name="consumers">How many consumers to wait for.</param>
    /// <param name="whyNotRunning">Null while the processes are alive, else why not (one exited): the wait fails with it.</param>
    /// <param name="timeout">How long the consumers may take to attach.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static async Task WaitAsync(IConnection connection, string queue, uint consumers, Func<string?> whyNotRunning, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(whyNotRunning);
        var deadline = DateTime.UtcNow + timeout;
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var seen = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false)).ConsumerCount;
            if (seen >= consumers)
            {
                return;
            }

            if (whyNotRunning() is { } reason)
            {
                throw new InvalidOperationException($"'{queue}' has {seen} of {consumers} consumers: {reason}");
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"'{queue}' has {seen} of {consumers} consumers after {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}

using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for a condition that the broker makes true asynchronously, with a bounded patience. A condition that asks
/// the broker about a queue or exchange nobody has declared yet (404 NOT_FOUND, as a passive declare answers) is not
/// true yet: it is asked again, so a test may wait for a queue that a program it started declares. Any other
/// exception fails the test at once.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    // Each 404 costs the broker a channel closed with an error (and a line in its log): asked less often.
    private static readonly TimeSpan NotFoundInterval = TimeSpan.FromMilliseconds(250);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            string? notFound = null;
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
            {
                notFound = e.ShutdownReason.ReplyText;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting until {what}{(notFound is null ? "" : $" (last answer from the broker: {notFound})")}");
            }

            await Task.Delay(notFound is null ? Interval : NotFoundInterval);
        }
    }
}

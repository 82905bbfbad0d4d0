namespace FibRpc.Client;

/// <summary>
/// The broker refused the request (a negative publisher confirm), so it was never queued, and there was no time or
/// attempt left to retry it on a fresh channel.
/// </summary>
public class FibRpcNackedException : FibRpcException
{
    internal FibRpcNackedException(string queue, int attempts)
        : this(queue, attempts, $"the broker refused (nacked) the request to '{queue}' and there was no time left to retry it on a fresh channel")
    {
    }

    private protected FibRpcNackedException(string queue, int attempts, string message)
        : base(message)
    {
        Queue = queue;
        Attempts = attempts;
    }

    /// <summary>The request queue.</summary>
    public string Queue { get; }

    /// <summary>How many times the request was published, each time on another channel, and nacked.</summary>
    public int Attempts { get; }
}

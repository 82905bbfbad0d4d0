namespace FibRpc.Client;

/// <summary>
/// The broker refused the request on every attempt, each on a fresh channel, so the refusal comes from the request
/// queue: it is full (<c>x-overflow: reject-publish</c>). Back off before calling again.
/// </summary>
public sealed class FibRpcOverloadedException : FibRpcNackedException
{
    internal FibRpcOverloadedException(string queue, int attempts)
        : base(queue, attempts, $"the broker refused the request to '{queue}' {attempts} times, each on a fresh channel: the queue is full and refuses new requests (the service is overloaded); try again later")
    {
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using FibRpc.Client;
using FibRpc.IntegrationTests.Infrastructure;

namespace FibRpc.IntegrationTests.Recovery;

/// <summary>
/// Keeps a few calls in flight through one client while a test breaks the broker, and records every call. Calls are
/// not cancelled when the load stops: each ends by itself, so a call that hangs past its timeout shows as such.
/// </summary>
public sealed class LoadUnderFault(FibRpcClient client, int workers)
{
    /// <summary>More calls than a healthy run makes: past it the client is spinning, and the load stops.</summary>
    public const int MaxCalls = 200_000;

    private readonly ConcurrentQueue<CallRecord> _records = new();
    private readonly CancellationTokenSource _stop = new();
    private Task[] _workers = [];

    public IReadOnlyList<CallRecord> Records => [.. _records.OrderBy(record => record.Started)];

    public void Start() => _workers = [.. Enumerable.Range(0, workers).Select(i => Task.Run(() => WorkAsync(i)))];

    /// <summary>Stops sending and waits for the calls in flight, bounded by <paramref name="patience"/>.</summary>
    public async Task StopAsync(TimeSpan patience)
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers).WaitAsync(patience);
        _stop.Dispose();
    }

    /// <summary>Waits until a call that started after <paramref name="since"/> has succeeded.</summary>
    public Task SucceededSinceAsync(long since, TimeSpan patience, Func<string>? state = null) =>
        Eventually.TrueAsync(() => Task.FromResult(_records.Any(record => record.Started >= since && record.Succeeded)), $"a call succeeds again ({Describe(since)}; {state?.Invoke()})", patience);

    /// <summary>The failures since a moment, by kind, with the first message of each: for a failure message.</summary>
    private string Describe(long since) => string.Join("; ", _records.Where(record => record.Started >= since && !record.Succeeded)
        .GroupBy(record => record.Failure!.GetType().Name)
        .Select(group => $"{group.Count()} {group.Key}: {group.First().Failure!.Message}"));

    private async Task WorkAsync(int worker)
    {
        var n = 20 + worker;
        var expected = Reference.Fibonacci(n);
        while (!_stop.IsCancellationRequested && _records.Count < MaxCalls)
        {
            var started = Stopwatch.GetTimestamp();
            Exception? failure = null;
            try
            {
                var answer = await client.CallAsync(n);
                if (answer != expected)
                {
                    failure = new InvalidDataException($"F({n}) came back as {answer}");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }

            // No pause after a failure: while the broker is away the client itself makes the next call wait.
            _records.Enqueue(new CallRecord(started, Stopwatch.GetTimestamp(), failure));
        }
    }
}

/// <summary>One call made under a fault: when it started and ended (stopwatch ticks) and how it failed, if it did.</summary>
public sealed record CallRecord(long Started, long Ended, Exception? Failure)
{
    public TimeSpan Duration => Stopwatch.GetElapsedTime(Started, Ended);

    public bool Succeeded => Failure is null;

    /// <summary>The failed calls among <paramref name="records"/> counted by kind, e.g. "3 FibRpcReplyLostException"; "none" when none failed.</summary>
    public static string FailuresByKind(IEnumerable<CallRecord> records)
    {
        var kinds = records.Where(r => !r.Succeeded).GroupBy(r => r.Failure!.GetType().Name).Select(g => $"{g.Count()} {g.Key}").ToList();
        return kinds.Count == 0 ? "none" : string.Join(", ", kinds);
    }
}

using System.Globalization;

namespace FibRpc.Cli.Bench;

/// <summary>
/// Shows how a run is going on standard error, so that standard output carries only the result (and stays valid
/// JSON with --json): a bar redrawn in place on a terminal, plain periodic lines when redirected to a file or pipe.
/// </summary>
/// <remarks>
/// Not Spectre.Console's progress display: it shows nothing when the output is redirected (where the benchmark plan
/// and CI need these lines), and everything on the line is computed here either way, so it would replace only the bar.
/// </remarks>
public sealed class ProgressDisplay(LoadLoop loop, TextWriter output, bool interactive)
{
    private static readonly TimeSpan BarRefresh = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then clears the bar.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interactive ? BarRefresh : LineInterval);
        var lastReplies = 0L;
        var lastPhase = (PhaseTally?)null;
        var lastTime = TimeSpan.Zero;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (loop.Current is not { } phase)
                {
                    continue;
                }

                if (!ReferenceEquals(phase, lastPhase))
                {
                    (lastPhase, lastReplies, lastTime) = (phase, 0, TimeSpan.Zero);
                }

                var elapsed = phase.Elapsed;
                var replies = phase.Replies;
                var window = (elapsed - lastTime).TotalSeconds;
                var rate = window > 0 ? (replies - lastReplies) / window : 0;
                (lastReplies, lastTime) = (replies, elapsed);
                var line = Format(phase, rate, interactive);
                await output.WriteAsync(interactive ? "\r" + line : line + Environment.NewLine).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }

        if (interactive)
        {
            // Blank out the last bar (its length is bounded by Format), then leave the cursor at the line start.
            await output.WriteAsync("\r" + new string(' ', 160) + "\r").ConfigureAwait(false);
        }
    }

    public static string Format(PhaseTally phase, double rate, bool withBar)
    {
        const int width = 24;
        var done = phase.Progress;
        var bar = withBar ? "[" + new string('#', (int)(done * width)).PadRight(width, '.') + "] " : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{phase.Name,-7} {bar}{done,4:P0} {phase.Elapsed.TotalSeconds,6:0.0} s {phase.Replies,9} replies {rate,8:0} req/s p50 {phase.Latency.Percentile(50) / 1000,7:0.###} ms  wrong {phase.WrongAnswers} errors {phase.ErrorReplies} no reply {phase.AllFailures}{(phase.Outages.IsOpen ? " (broker away)" : "")}");
    }
}

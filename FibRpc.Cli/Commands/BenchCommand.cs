using System.CommandLine;
using System.Text.Json;
using FibRpc.Cli.Bench;
using FibRpc.Client;
using FibRpc.Engine;

namespace FibRpc.Cli.Commands;

/// <summary>fibrpc bench: load-tests a running service through the RPC client and checks every reply.</summary>
internal static class BenchCommand
{
    private const int ExitFailedReplies = 1;
    private const int ExitAborted = 2;

    public static Command Create()
    {
        var requests = new Option<long?>("--requests", "-r")
        {
            Description = "Measured requests to send (the run also stops after --duration, or 10 minutes when only --requests is given)",
        }.WholeNumber(1L, long.MaxValue);
        var duration = new Option<double?>("--duration", "-d")
        {
            Description = "Seconds to measure for (the run also stops after --requests). Default when neither is given: 10",
        }.PositiveSeconds(7 * 86400);
        var concurrency = new Option<int>("--concurrency", "-C")
        {
            Description = "Requests kept in flight at once (closed loop: each of C workers sends its next request when its reply arrives)",
            DefaultValueFactory = _ => 1,
        }.WholeNumber(1, 10_000);
        var fixedN = new Option<int?>("--n")
        {
            Description = "Workload: every request asks for F(N). Default when no workload is given: --n 10",
        }.WholeNumber(0, int.MaxValue);
        var range = new Option<string?>("--range")
        {
            Description = "Workload: n drawn uniformly from LOW-HIGH inclusive, e.g. --range 1000-5000",
        };
        var mix = new Option<string?>("--mix")
        {
            Description = "Workload: weighted mix N:WEIGHT,..., e.g. --mix 10:90,100000:10 (90% F(10), 10% F(100000))",
        };
        var warmup = new Option<double>("--warmup", "-w")
        {
            Description = "Seconds of load before measuring (not counted), so that both sides are warmed up",
            DefaultValueFactory = _ => 2,
        }.Seconds(0, 3600);
        var timeout = new Option<double>("--timeout", "-t")
        {
            Description = "Seconds to wait for each reply before counting a timeout, re-sends after a lost connection included",
            DefaultValueFactory = _ => 10,
        }.PositiveSeconds(FibRpcClientOptions.LongestTimeout.TotalSeconds);
        var json = new Option<bool>("--json")
        {
            Description = "Print the result as JSON on standard output (progress stays on standard error)",
        };
        var expectConstant = new Option<string?>("--expect-constant")
        {
            Description = "Only for the ceiling reference consumers, which answer every request with the same text: check each reply against TEXT instead of F(n)",
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the random n drawn by --range and --mix (worker i uses SEED + i)",
            DefaultValueFactory = _ => 1,
        }.WholeNumber(int.MinValue, int.MaxValue);
        var noProgress = new Option<bool>("--no-progress")
        {
            Description = "Show no progress while running",
        };

        var command = new Command("bench", """
            Load-test the running service through the RPC client and check every reply against F(n) computed locally.
            Works identically against `fibrpc serve` and the function under `func start`: both consume the same queue with
            the same contract. Reports requests/s, latency p50/p90/p99/p99.9/max, wrong answers, error replies, timeouts and
            this process's own CPU time. Rides through broker restarts: calls that get no reply are counted by kind (timeout,
            reply lost, no connection, nacked, overloaded), the client reconnects, and each outage is reported with its start,
            its length and the requests lost or retried. Exit code 0: every reply right; 1: a wrong answer, an error reply or
            a call without a reply;
            2: the run could not be done (no broker, no queue).
            """)
        {
            CommonOptions.Queue, requests, duration, concurrency, fixedN, range, mix, warmup, timeout, json, expectConstant, seed, noProgress, CommonOptions.ExclusiveReplyQueue,
            CommonOptions.Connection, CommonOptions.CaFile,
        };

        command.Validators.Add(result =>
        {
            var given = new Option[] { fixedN, range, mix }.Count(option => result.GetResult(option) is not null);
            if (given > 1)
            {
                result.AddError("give one workload: --n, --range or --mix");
            }

            if (result.GetValue(range) is { } rangeText && !Workload.TryParseRange(rangeText, out _, out var rangeError))
            {
                result.AddError(rangeError!);
            }

            if (result.GetValue(mix) is { } mixText && !Workload.TryParseMix(mixText, out _, out var mixError))
            {
                result.AddError(mixError!);
            }
        });

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var workload = parseResult.GetValue(range) is { } rangeText && Workload.TryParseRange(rangeText, out var ranged, out _) ? ranged!
                : parseResult.GetValue(mix) is { } mixText && Workload.TryParseMix(mixText, out var mixed, out _) ? mixed!
                : Workload.Fixed(parseResult.GetValue(fixedN) ?? 10);
            var requestCount = parseResult.GetValue(requests);
            var seconds = parseResult.GetValue(duration) ?? (requestCount is null ? 10 : null);
            var settings = new BenchSettings(
                workload,
                parseResult.GetValue(concurrency),
                requestCount ?? BenchSettings.DefaultRequestLimit,
                seconds is { } limit ? TimeSpan.FromSeconds(limit) : BenchSettings.DefaultTimeLimit,
                TimeSpan.FromSeconds(parseResult.GetValue(warmup)),
                TimeSpan.FromSeconds(parseResult.GetValue(timeout)))
            {
                Queue = parseResult.GetValue(CommonOptions.Queue)!,
                Seed = parseResult.GetValue(seed),
            };

            var verifier = parseResult.GetValue(expectConstant) is { } constant
                ? ReplyVerifier.ForConstant(constant)
                : ReplyVerifier.ForFibonacci(new FibonacciEngine(), workload);

            var clientOptions = CommonOptions.ClientOptions(parseResult, settings.Timeout);
            clientOptions.ClientName = "fibrpc-bench";

            BenchResult result;
            await using var telemetry = await ClientCommandTelemetry.StartAsync(cancellationToken);
            try
            {
                await using var client = await FibRpcClient.ConnectAsync(clientOptions, cancellationToken);
                var loop = new LoadLoop((body, token) => client.CallRawAsync(body, cancellationToken: token), settings, verifier, () => client.NackedPublishes + client.ResentCalls);
                client.CallResent += (_, _) => loop.Current?.RecordResent();

                using var progressStop = new CancellationTokenSource();
                var progress = parseResult.GetValue(noProgress)
                    ? Task.CompletedTask
                    : new ProgressDisplay(loop, Console.Error, interactive: !Console.IsErrorRedirected).RunAsync(progressStop.Token);
                try
                {
                    var (warm, measured, cpu) = await loop.RunAsync(cancellationToken);
                    result = BenchResult.From(settings, verifier, warm, measured, cpu, client.UnmatchedReplies);
                }
                finally
                {
                    await progressStop.CancelAsync();
                    await progress;
                }
            }
            catch (Exception e) when (e is FibRpcUnroutableException or OperationCanceledException || CommonOptions.IsConnectionFailure(e))
            {
                await Console.Error.WriteLineAsync($"fibrpc bench: {CommonOptions.Describe(e, parseResult)}");
                return ExitAborted;
            }

            Console.WriteLine(parseResult.GetValue(json)
                ? JsonSerializer.Serialize(result, BenchJsonContext.Default.BenchResult)
                : result.ToText());
            return result.Passed ? 0 : ExitFailedReplies;
        });
        return command;
    }
}

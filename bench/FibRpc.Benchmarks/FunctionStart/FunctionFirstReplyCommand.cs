using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FibRpc.Benchmarks.Report;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Handling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace FibRpc.Benchmarks.FunctionStart;

/// <summary>
/// The function's first invocation in fresh worker processes that wire the service as <c>FibFunction</c>'s Program.cs
/// does, with and without its warm-up, against a warm invocation and the bare start (method: docs/benchmarks.md).
/// </summary>
internal static class FunctionFirstReplyCommand
{
    private const string Once = "function-first-reply-once";

    public static Command Create()
    {
        var runs = BenchOptions.With("--runs", 7, "Rounds; each starts one fresh worker with the warm-up and one without").AtLeast(1);
        var connection = BenchOptions.Connection();
        var command = new Command("function-first-reply", "The function's first invocation in a fresh worker process, with and without its warm-up (docs/benchmarks.md).")
        {
            runs, connection,
        };
        command.SetAction(parseResult => RunAsync(parseResult.GetValue(runs), parseResult.Broker(connection)));
        return command;
    }

    public static Command CreateOnce()
    {
        var uri = new Argument<string>("uri");
        var warmUp = new Argument<string>("warm-up").AcceptOnlyFromAmong("warm-up", "no-warm-up");
        var command = new Command(Once, "One cold worker of function-first-reply (started by it)") { uri, warmUp };
        command.Hidden = true;
        command.SetAction(parseResult => RunOnceAsync(parseResult.GetValue(uri)!, parseResult.GetValue(warmUp) == "warm-up"));
        return command;
    }

    private static async Task<int> RunAsync(int runs, string uri)
    {
        var results = await Stats.AlternatingAsync([true, false], runs, async (warmUp, round) =>
        {
            var sample = await RunChildAsync(uri, warmUp).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round} {(warmUp ? "warm-up" : "no warm-up")}: first {sample[0]:0.0} ms, warm {sample[1]:0.00} ms, bare start {sample[2]:0.0} ms"));
            return sample;
        }).ConfigureAwait(false);

        Console.WriteLine();
        Console.WriteLine("| function worker | first invocation (median) | warm invocation | bare start | first / (2 x warm + bare start) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (warmUp, list) in results)
        {
            var (first, warm, bare) = (Stats.Median(list, 0), Stats.Median(list, 1), Stats.Median(list, 2));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(warmUp ? "with warm-up" : "without warm-up")} | {first:0.0} ms | {warm:0.00} ms | {bare:0.0} ms | {first / (2 * warm + bare):0.00} |"));
        }

        return 0;
    }

    private static async Task<double[]> RunChildAsync(string uri, bool warmUp)
    {
        // Run as "dotnet FibRpc.Benchmarks.dll": the child the same way.
        string[] self = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [typeof(FunctionFirstReplyCommand).Assembly.Location] : [];
        using var child = new ChildProcess(Environment.ProcessPath!, [.. self, Once, uri, warmUp ? "warm-up" : "no-warm-up"]);
        if (await child.WaitForExitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false) != 0)
        {
            throw new InvalidOperationException($"function-first-reply run failed: {child.Output}");
        }

        return [.. child.StandardOutput.Trim().Split(' ').Select(value => double.Parse(value, CultureInfo.InvariantCulture))];
    }

    private static async Task<int> RunOnceAsync(string uri, bool warmUp)
    {
        var bare = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        var started = Stopwatch.GetTimestamp();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [RpcNames.ConnectionSetting] = uri }).Build();
        var services = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddFibRpc(configuration).AddFibRpcFunctionTrigger();
        await using var provider = services.BuildServiceProvider();
        var function = provider.GetRequiredService<FunctionTriggerAdapter>();
        bare += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (warmUp)
        {
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        // The caller's reply queue, on a connection of its own (the Functions host's, in production).
        await using var caller = await RabbitConnection.CreateFactory(uri, "function-first-reply-caller").CreateConnectionAsync().ConfigureAwait(false);
        await using var channel = await caller.CreateChannelAsync().ConfigureAwait(false);
        var replies = (await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true).ConfigureAwait(false)).QueueName;

        var first = await InvokeAsync(function, replies, "first").ConfigureAwait(false);
        var warm = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            warm.Add(await InvokeAsync(function, replies, $"warm-{i}").ConfigureAwait(false));
        }

        var answered = (await channel.QueueDeclarePassiveAsync(replies).ConfigureAwait(false)).MessageCount;
        if (answered != 21)
        {
            await Console.Error.WriteLineAsync($"expected 21 replies, found {answered}").ConfigureAwait(false);
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{first:0.000} {warm.Order().ElementAt(warm.Count / 2):0.000} {bare:0.000}"));
        return 0;
    }

    private static async Task<double> InvokeAsync(FunctionTriggerAdapter function, string replyTo, string correlationId)
    {
        var bindingData = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["BasicProperties"] = JsonSerializer.Serialize(new Dictionary<string, string> { ["ReplyTo"] = replyTo, ["CorrelationId"] = correlationId }),
            ["Redelivered"] = "false",
        };
        var started = Stopwatch.GetTimestamp();
        var result = await function.HandleAsync("10"u8.ToArray(), bindingData, CancellationToken.None).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return result.Outcome == RequestOutcome.Answered ? elapsed : throw new InvalidOperationException($"not answered: {result}");
    }
}

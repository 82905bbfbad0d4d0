using System.CommandLine;
using FibRpc.Contract;
using FibRpc.Messaging;

namespace FibRpc.Benchmarks;

/// <summary>How the subcommands declare their options (System.CommandLine, as fibrpc does), and what several share.</summary>
internal static class BenchOptions
{
    public static Option<T> With<T>(string name, T defaultValue, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>--connection: the broker (its default is resolved by <see cref="Broker"/>, so that --help shows no password).</summary>
    public static Option<string?> Connection() =>
        new("--connection") { Description = $"AMQP URI of the broker. Default: the {RpcNames.ConnectionSetting} environment variable, else {BrokerUri.Redact(BrokerUri.Default)}" };

    public static string Broker(this ParseResult parseResult, Option<string?> connection) =>
        BrokerUri.Resolve(parseResult.GetValue(connection), Environment.GetEnvironmentVariable(RpcNames.ConnectionSetting));

    /// <summary>--rounds, --seconds and --warmup of the commands that run <c>fibrpc bench</c> round after round.</summary>
    public static (Option<int> Rounds, Option<double> Seconds, Option<double> Warmup) Rounds(int rounds, double seconds, double warmup, string roundsDescription) =>
        (With("--rounds", rounds, roundsDescription).AtLeast(1), With("--seconds", seconds, "Measured seconds of each run").AtLeast(0.1),
            With("--warmup", warmup, "Warm-up seconds of each run, not counted").AtLeast(0));

    public static Option<T> AtLeast<T>(this Option<T> option, T min)
        where T : IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is { } value && value.CompareTo(min) < 0)
            {
                result.AddError($"{option.Name} must be at least {min}");
            }
        });
        return option;
    }
}

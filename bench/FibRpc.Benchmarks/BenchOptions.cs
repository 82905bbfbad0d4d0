using System.CommandLine;
using System.Globalization;
using FibRpc.Contract;
using FibRpc.Messaging;

namespace FibRpc.Benchmarks;

/// <summary>How the subcommands declare their options (System.CommandLine, as fibrpc does), and what several share.</summary>
internal static class BenchOptions
{
    /// <summary>An option with a default, shown by --help.</summary>
    public static Option<T> With<T>(string name, T defaultValue, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>--connection: the broker (its default is resolved by <see cref="Broker"/>, so that --help shows no password).</summary>
    public static Option<string?> Connection() =>
        new("--connection") { Description = $"AMQP URI of the broker. Default: the {RpcNames.ConnectionSetting} environment variable, else {BrokerUri.Redact(BrokerUri.Default)}" };

    /// <summary>--connection, else the RabbitMQConnection environment variable, else the local default.</summary>
    public static string Broker(this ParseResult parseResult, Option<string?> connection) =>
        BrokerUri.Resolve(parseResult.GetValue(connection), Environment.GetEnvironmentVariable(RpcNames.ConnectionSetting));

    /// <summary>--rounds, --seconds and --warmup of the commands that run <c>fibrpc bench</c> round after round.</summary>
    public static (Option<int> Rounds, Option<double> Seconds, Option<double> Warmup) Rounds(int rounds, double seconds, double warmup, string roundsDescription) =>
        (With("--rounds", rounds, roundsDescription).AtLeast(1), With("--seconds", seconds, "Measured seconds of each run").AtLeast(0.1),
            With("--warmup", warmup, "Warm-up seconds of each run, not counted").AtLeast(0));

    /// <summary>A comma-separated list of whole numbers ("1,2"), each at least 1.</summary>
    public static Option<int[]> Counts(string name, int[] defaultValue, string description)
    {
        var option = With(name, defaultValue, description);
        option.CustomParser = result =>
        {
            var values = result.Tokens.SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            if (values.Length > 0 && values.All(value => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1))
            {
                return [.. values.Select(value => int.Parse(value, CultureInfo.InvariantCulture))];
            }

            result.AddError($"{name} takes whole numbers of at least 1, separated by commas, not '{string.Join(' ', result.Tokens.Select(t => t.Value))}'");
            return [];
        };
        return option;
    }

    /// <summary>Fails the parse unless the option's value is at least <paramref name="min"/>.</summary>
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

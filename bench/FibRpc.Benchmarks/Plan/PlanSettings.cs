using System.Globalization;
using FibRpc.Contract;
using FibRpc.Messaging;

namespace FibRpc.Benchmarks.Plan;

/// <summary>The options of <c>plan</c>; every default is what docs/benchmarks.md was generated with.</summary>
internal sealed record PlanSettings
{
    public const string Usage = "usage: plan [--rounds 3] [--seconds 5] [--warmup 1] [--sustain 20] [--mix 10:90,100000:10] "
        + "[--baseline-ref REF] [--client-spin-limit 0|default] [--only NAME,...] [--out DIR] [--no-docs] [--no-build] [--connection URI]";

    public int Rounds { get; init; } = 3;

    /// <summary>Measured seconds of each run.</summary>
    public double Seconds { get; init; } = 5;

    /// <summary>Warm-up seconds of each run, not counted.</summary>
    public double Warmup { get; init; } = 1;

    /// <summary>Length of the sustained phase (CPU per request, resident memory of serve); 0 leaves it out.</summary>
    public double Sustain { get; init; } = 20;

    public string Mix { get; init; } = "10:90,100000:10";

    /// <summary>A git ref to build <c>fibrpc serve</c> from and measure side by side (before/after).</summary>
    public string? BaselineRef { get; init; }

    /// <summary>Thread-pool spin limit of the load generator; null keeps the runtime's default.</summary>
    public string? ClientSpinLimit { get; init; } = "0";

    /// <summary>Only these measurements (and only their consumers); null runs the whole plan.</summary>
    public IReadOnlySet<string>? Only { get; init; }

    public string? Out { get; init; }

    /// <summary>Leave docs/ alone: the report goes to standard output and the results directory only.</summary>
    public bool NoDocs { get; init; }

    public bool NoBuild { get; init; }

    public string Connection { get; init; } = BrokerUri.Resolve(Environment.GetEnvironmentVariable(RpcNames.ConnectionSetting));

    /// <summary>Parses the arguments; null (after printing why) when they make no sense.</summary>
    public static PlanSettings? Parse(IReadOnlyList<string> args)
    {
        var settings = new PlanSettings();
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                double Number() => double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
                settings = args[i] switch
                {
                    "--rounds" => settings with { Rounds = int.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--seconds" => settings with { Seconds = Number() },
                    "--warmup" => settings with { Warmup = Number() },
                    "--sustain" => settings with { Sustain = Number() },
                    "--mix" => settings with { Mix = Value() },
                    "--baseline-ref" => settings with { BaselineRef = Value() },
                    "--client-spin-limit" => settings with { ClientSpinLimit = Value() is var limit && limit == "default" ? null : limit },
                    "--only" => settings with { Only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() },
                    "--out" => settings with { Out = Value() },
                    "--no-docs" => settings with { NoDocs = true },
                    "--no-build" => settings with { NoBuild = true },
                    "--connection" => settings with { Connection = Value() },
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
        }
        catch (Exception error) when (error is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"plan: {error.Message}");
            Console.Error.WriteLine(Usage);
            return null;
        }

        if (settings.Rounds < 1 || settings.Seconds <= 0 || settings.Warmup < 0 || settings.Sustain < 0)
        {
            Console.Error.WriteLine("plan: --rounds must be at least 1, --seconds positive, --warmup and --sustain not negative");
            return null;
        }

        // Loopback only: CPU is read from /proc, which says nothing about a broker elsewhere.
        if (!new Uri(settings.Connection).IsLoopback)
        {
            Console.Error.WriteLine($"plan: only a loopback broker is measured (got {BrokerUri.Redact(settings.Connection)})");
            return null;
        }

        return settings;
    }
}

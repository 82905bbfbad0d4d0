using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace FibRpc.Cli.Commands;

/// <summary>
/// Parsers for numeric options and arguments that say what a person typed wrong in a person's words ("--timeout
/// must be a number of seconds greater than 0 and at most 86400, not '-1'"). System.CommandLine's own conversion
/// error names the .NET type ('System.Nullable`1[System.UInt16]'), and a range check in a validator runs only after
/// that conversion has already failed or succeeded.
/// </summary>
internal static class NumberOptions
{
    /// <summary>
    /// Seconds from <see cref="ShortestWait"/> to <paramref name="max"/>: a timeout of 0 or less can only fail, and one
    /// shorter than a round trip to the broker fails every call.
    /// </summary>
    public static Option<double> PositiveSeconds(this Option<double> option, double max)
    {
        option.CustomParser = result => ParseNumber(result, option.Name, ShortestWait, max, "a number of seconds") ?? 0;
        return option;
    }

    /// <inheritdoc cref="PositiveSeconds(Option{double}, double)"/>
    public static Option<double?> PositiveSeconds(this Option<double?> option, double max)
    {
        option.CustomParser = result => ParseNumber(result, option.Name, ShortestWait, max, "a number of seconds");
        return option;
    }

    /// <summary>The shortest timeout or duration accepted, in seconds.</summary>
    public const double ShortestWait = 0.1;

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<T> WholeNumber<T>(this Option<T> option, T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        option.CustomParser = result => ParseWhole(result, option.Name, min, max) ?? default;
        return option;
    }

    /// <inheritdoc cref="WholeNumber{T}(Option{T}, T, T)"/>
    public static Option<T?> WholeNumber<T>(this Option<T?> option, T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        option.CustomParser = result => ParseWhole(result, option.Name, min, max);
        return option;
    }

    /// <inheritdoc cref="WholeNumber{T}(Option{T}, T, T)"/>
    public static Argument<T> WholeNumber<T>(this Argument<T> argument, T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        argument.CustomParser = result => ParseWhole(result, argument.Name, min, max) ?? default;
        return argument;
    }

    /// <summary>A number of seconds, at least <paramref name="min"/>.</summary>
    public static Option<double> Seconds(this Option<double> option, double min, double max)
    {
        option.CustomParser = result => ParseNumber(result, option.Name, min, max, "a number of seconds") ?? 0;
        return option;
    }

    private static double? ParseNumber(ArgumentResult result, string name, double min, double max, string what)
    {
        var text = Token(result);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be {what} from {min} to {max}, not '{text}'"));
            return null;
        }

        return value;
    }

    private static T? ParseWhole<T>(ArgumentResult result, string name, T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var text = Token(result);
        if (text is null)
        {
            return null;
        }

        // Parsed as the widest integer first, so that "-1" for an unsigned option is out of range, not "not a number".
        if (!Int128.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wide))
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from {min} to {max}, not '{text}'"));
            return null;
        }

        if (wide < Int128.CreateTruncating(min) || wide > Int128.CreateTruncating(max))
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be from {min} to {max}, not '{text}'"));
            return null;
        }

        return T.CreateChecked(wide);
    }

    private static string? Token(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : null;
}

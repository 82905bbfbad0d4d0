using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace FibRpc.Cli.Commands;

/// <summary>
/// Parsers for numeric options and arguments that say what a person typed wrong in a person's words ("--timeout
/// must be a number of seconds from 0.1 to 86400, not '-1'"): System.CommandLine's own conversion error names the
/// .NET type, and a range check in a validator runs only after that conversion.
/// </summary>
internal static class NumberOptions
{
    /// <summary>
    /// Seconds from <see cref="ShortestWait"/> to <paramref name="max"/>: a timeout of 0 or less can only fail, and one
    /// shorter than a round trip to the broker fails every call.
    /// </summary>
    public static Option<double> PositiveSeconds(this Option<double> option, double max) => option.Seconds(ShortestWait, max);

    /// <inheritdoc cref="PositiveSeconds(Option{double}, double)"/>
    public static Option<double?> PositiveSeconds(this Option<double?> option, double max)
    {
        option.CustomParser = result => ParseSeconds(result, option.Name, ShortestWait, max);
        return option;
    }

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

    public static Option<double> Seconds(this Option<double> option, double min, double max)
    {
        option.CustomParser = result => ParseSeconds(result, option.Name, min, max) ?? 0;
        return option;
    }

    private static double? ParseSeconds(ArgumentResult result, string name, double min, double max)
    {
        var text = Token(result);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number of seconds from {min} to {max}, not '{text}'"));
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

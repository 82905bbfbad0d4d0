using System.Text.RegularExpressions;

namespace FibRpc.Cli.Commands;

/// <summary>
/// Settings errors in the words of the person who set them: the environment variable's name (<c>FibRpc__MaxN</c>)
/// rather than the configuration key (<c>FibRpc:MaxN</c>) or the .NET field (<c>FibRpcOptions.MaxN</c>), and the
/// kind of value expected rather than a .NET type.
/// </summary>
internal static partial class SettingErrors
{
    /// <summary>Whether the configuration binder failed to read a setting's value (FibRpc__MaxN=abc).</summary>
    public static bool IsBindingFailure(string message) => ConversionFailure().IsMatch(message);

    /// <summary>One failure of binding or validation, as a line naming the environment variable.</summary>
    public static string Describe(string message)
    {
        // The options validator puts the member's name first ("MaxN: ..."): the message names the setting already.
        var text = MemberPrefix().Replace(message, "");
        text = ConversionFailure().Replace(text, match => $"{EnvironmentName(match.Groups["key"].Value)} is '{match.Groups["value"].Value}': it must be {Kind(match.Groups["type"].Value)}");
        text = FieldName().Replace(text, match => $"FibRpc__{match.Groups["name"].Value}");
        text = ConfigurationKey().Replace(text, match => EnvironmentName(match.Value));
        // long.MaxValue in a range message reads "between 0 and 9.223372036854776E+18": no upper limit to speak of.
        return NoUpperLimit().Replace(text, "must be ${min} or more").Trim();
    }

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static string Kind(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Boolean" => "true or false",
        "System.Double" => "a number",
        _ => "a value of another kind (see the README's settings table)",
    };

    // Microsoft.Extensions.Configuration.Binder: "Failed to convert configuration value 'abc' at 'FibRpc:MaxN' to type 'System.Int32'."
    [GeneratedRegex(@"Failed to convert configuration value '(?<value>[^']*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'\.?")]
    private static partial Regex ConversionFailure();

    // Data annotations' default message: "The field FibRpcOptions.MaxN must be ...".
    [GeneratedRegex(@"The field FibRpcOptions\.(?<name>\w+)")]
    private static partial Regex FieldName();

    [GeneratedRegex(@"must be between (?<min>\S+) and 9\.223372036854776E\+18")]
    private static partial Regex NoUpperLimit();

    [GeneratedRegex(@"^\w+: (?=The field|FibRpc)")]
    private static partial Regex MemberPrefix();

    [GeneratedRegex(@"\bFibRpc(:\w+)+")]
    private static partial Regex ConfigurationKey();
}

using System.Text.RegularExpressions;

namespace FibRpc.Cli.Commands;

/// <summary>
/// Settings errors in the words of the person who set them: the environment variable's name (<c>FibRpc__MaxN</c>)
/// rather than the configuration key (<c>FibRpc:MaxN</c>) or the .NET field (<c>FibRpcOptions.MaxN</c>), and the
/// kind of value expected rather than a .NET type.
/// </summary>
internal static partial class SettingErrors
{
    public static string Describe(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = ConversionFailure().Replace(message, match => $"{EnvironmentName(match.Groups["key"].Value)} is '{match.Groups["value"].Value}': it must be {Kind(match.Groups["type"].Value)}");
        text = FieldName().Replace(text, match => $"FibRpc__{match.Groups["name"].Value}");
        text = ConfigurationKey().Replace(text, match => EnvironmentName(match.Value));
        // long.MaxValue in a range message reads 9.223372036854776E+18.
        return text.Replace(" and 9.223372036854776E+18", " or more", StringComparison.Ordinal).Trim();
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

    [GeneratedRegex(@"\bFibRpc(:\w+)+")]
    private static partial Regex ConfigurationKey();
}

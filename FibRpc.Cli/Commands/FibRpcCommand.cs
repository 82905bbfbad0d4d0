using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;

namespace FibRpc.Cli.Commands;

/// <summary>The fibrpc command tree, and how a command line it cannot take is reported.</summary>
internal static partial class FibRpcCommand
{
    /// <summary>The exit code of a command line that does not parse.</summary>
    public const int ExitUsage = 2;

    public static Command Create()
    {
        // Named "fibrpc" in help and errors whatever the assembly is called (RootCommand would take the assembly's name).
        return new Command("fibrpc", "fibrpc: the Fibonacci RPC service on RabbitMQ, run locally, called, measured.")
        {
            new HelpOption(),
            new VersionOption(),
            TopologyCommand.Create(),
            ServeCommand.Create(),
            CallCommand.Create(),
            ComputeCommand.Create(),
            BenchCommand.Create(),
        };
    }

    /// <summary>
    /// Prints each error of a command line on a line of its own, in words a person reads (never a .NET type name),
    /// and where to read more; returns <see cref="ExitUsage"/>.
    /// </summary>
    public static int ReportParseErrors(ParseResult parsed, TextWriter error)
    {
        var command = string.Join(' ', parsed.CommandResult.Command.Parents.OfType<Command>().Reverse().Select(c => c.Name).Append(parsed.CommandResult.Command.Name));
        foreach (var message in parsed.Errors.Select(e => Humanize(e.Message)).Distinct(StringComparer.Ordinal))
        {
            error.WriteLine($"{command}: {message}");
        }

        error.WriteLine($"See '{command} --help'.");
        return ExitUsage;
    }

    /// <summary>
    /// System.CommandLine's conversion errors name the .NET type ("as expected type 'System.Nullable`1[System.UInt16]'"):
    /// say what kind of value was expected instead. The options of this tool parse their numbers themselves
    /// (<see cref="NumberOptions"/>); this covers any that do not.
    /// </summary>
    public static string Humanize(string message) => ExpectedType().Replace(message, match =>
    {
        var type = match.Groups["type"].Value;
        var inner = NullableOf().Match(type) is { Success: true } nullable ? nullable.Groups["inner"].Value : type;
        return "; expected " + inner switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.Byte" or "System.SByte" => "a whole number",
            "System.UInt16" or "System.UInt32" or "System.UInt64" => "a whole number, not negative",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration",
            _ => "one of the values --help lists",
        };
    }).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) switch
    {
        // "Did you mean one of the following?" then one value a line: kept on the error's one line.
        [var first] => first,
        [var first, .. var rest] => $"{first} {string.Join(", ", rest)}",
        _ => message,
    };

    [GeneratedRegex(@" as expected type '(?<type>[^']+)'")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>[^\]]+)\]$")]
    private static partial Regex NullableOf();
}

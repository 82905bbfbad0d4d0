using System.CommandLine;
using System.Reflection;
using FibRpc.Cli.Commands;

namespace FibRpc.Tests.Cli;

/// <summary>What fibrpc says about a command line it cannot take: one line per mistake, in words, never a .NET type.</summary>
public sealed class CommandLineTests
{
    private static readonly Command Root = FibRpcCommand.Create();

    private static string Errors(params string[] args)
    {
        var parsed = Root.Parse(args);
        using var error = new StringWriter();
        Assert.Equal(FibRpcCommand.ExitUsage, FibRpcCommand.ReportParseErrors(parsed, error));
        var text = error.ToString();
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return text;
    }

    // The other bad values of these options go through the real tool in the integration tests (FirstHourTests).
    [Theory]
    [InlineData("call --timeout 1e9 10", "fibrpc call: --timeout must be a number of seconds from 0.1 to 86400, not '1e9'")]
    [InlineData("serve --prefetch 65536", "--prefetch must be from 1 to 65535, not '65536'")]
    [InlineData("compute -5", "fibrpc compute: n must be")]
    public void A_value_that_cannot_work_is_refused_in_words(string commandLine, string said)
    {
        Assert.Contains(said, Errors(commandLine.Split(' ')), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bench", "--timeout", "0")]
    [InlineData("bench", "--duration", "-3")]
    [InlineData("bench", "--requests", "many")]
    [InlineData("serve", "--metrics-port", "70000")]
    [InlineData("serve", "--shutdown-timeout", "-1")]
    public void Each_numeric_option_names_itself_and_its_range(string command, string option, string value)
    {
        var text = Errors(command, option, value);

        Assert.Contains($"{option} must be", text, StringComparison.Ordinal);
        Assert.Contains($"not '{value}'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_prefetch_parses()
    {
        Assert.Empty(Root.Parse(["serve", "--prefetch", "5"]).Errors);
    }

    [Fact]
    public void A_conversion_error_of_an_option_without_its_own_parser_names_the_kind_of_value_not_the_type()
    {
        // topology's options parse with System.CommandLine's own conversion, whose message names System.Int32.
        var text = Errors("topology", "--max-length", "lots");

        Assert.Contains("--max-length", text, StringComparison.Ordinal);
        Assert.Contains("expected a whole number", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_enum_value_stays_on_one_line()
    {
        var text = Errors("serve", "--log-level", "loud");

        Assert.Equal(2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("Information", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("as expected type 'System.Nullable`1[System.UInt16]'.", "expected a whole number, not negative")]
    [InlineData("as expected type 'System.Int32'.", "expected a whole number")]
    [InlineData("as expected type 'System.Double'.", "expected a number")]
    public void Humanize_replaces_type_names(string message, string expected)
    {
        var text = FibRpcCommand.Humanize("Cannot parse argument 'x' for option '--o' " + message);

        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("call")]
    [InlineData("bench")]
    [InlineData("topology")]
    public void Every_command_that_connects_takes_the_broker_options(string name)
    {
        var command = Root.Subcommands.Single(c => c.Name == name);

        Assert.Contains(command.Options, o => o.Name == "--connection");
        Assert.Contains(command.Options, o => o.Name == "--ca-file");
    }

    [Fact]
    public void The_version_answered_before_parsing_is_the_tools_informational_version()
    {
        // What the parser's --version prints when fibrpc is the entry assembly (RootCommand.ExecutableVersion).
        var attribute = typeof(FibRpcCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        Assert.Equal(VersionCommand.Text, attribute);
        Assert.True(VersionCommand.TryRunPlain(["--version"], out var exitCode));
        Assert.Equal(0, exitCode);
        Assert.False(VersionCommand.TryRunPlain(["--version", "serve"], out _));
        Assert.False(VersionCommand.TryRunPlain(["serve", "--version"], out _));
    }
}

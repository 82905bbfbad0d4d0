using FibRpc.Cli.Commands;
using FibRpc.Service;

namespace FibRpc.Tests.Cli;

/// <summary>Settings errors name the environment variable a person set, never a .NET field or type.</summary>
public sealed class SettingErrorsTests
{
    // A value that does not convert: FirstHourTests.A_bad_setting_stops_serve_with_one_line_naming_the_variable.
    [Theory]
    [InlineData("MaxN: The field FibRpcOptions.MaxN must be between 0 and 10000000.", "FibRpc__MaxN must be between 0 and 10000000.")]
    // A range up to long.MaxValue reads as no upper limit.
    [InlineData("CacheBytes: The field FibRpcOptions.CacheBytes must be between 0 and 9.223372036854776E+18.", "FibRpc__CacheBytes must be 0 or more.")]
    public void A_message_names_the_variable_and_the_kind_of_value(string message, string expected)
    {
        Assert.Equal(expected, SettingErrors.Describe(message));
    }

    [Fact]
    public void Every_validation_failure_of_the_options_reads_as_a_setting()
    {
        var result = new FibRpcOptionsValidator().Validate(null, new FibRpcOptions
        {
            MaxN = -1,
            MaxBodyBytes = 0,
            PublishTimeoutSeconds = 0,
            CacheBytes = -5,
            RequestQueue = " ",
            MaxAttempts = 0,
            ReplyPublishAttempts = 0,
            BlockedWaitSeconds = 0,
        });

        Assert.Equal(8, result.Failures!.Count());
        foreach (var failure in result.Failures!)
        {
            var text = SettingErrors.Describe(failure);
            Assert.StartsWith("FibRpc__", text, StringComparison.Ordinal);
            Assert.DoesNotContain("FibRpcOptions", text, StringComparison.Ordinal);
            Assert.DoesNotContain("E+", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_options_own_messages_name_the_environment_variable_for_every_host()
    {
        // The function shows the validator's messages as they are: they must read right without SettingErrors too.
        var result = new FibRpcOptionsValidator().Validate(null, new FibRpcOptions { MaxN = -1, CacheBytes = -5 });

        Assert.Contains("FibRpc__MaxN must be between 0 and 10000000", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("FibRpc__CacheBytes must be 0 (no cache) or more", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("FibRpcOptions.", result.FailureMessage, StringComparison.Ordinal);
    }
}

using System.CommandLine;
using System.Text.RegularExpressions;
using FibRpc.Cli.Commands;
using FibRpc.Service;
using FibRpc.Tests.Deployment;
using FibRpc.TriggerHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FibRpc.Tests.Cli;

/// <summary>These tests set process-wide environment variables: none of them runs beside another test.</summary>
[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

/// <summary>
/// Every setting of the README's settings table, set the documented way (an environment variable), reaches what
/// fibrpc serve runs with; and a command-line option overrides a setting only when it is given.
/// </summary>
[Collection(nameof(EnvironmentCollection))]
public sealed partial class ServeSettingsTests
{
    private static readonly Command Root = FibRpcCommand.Create();
    private static readonly Command Serve = Root.Subcommands.Single(c => c.Name == "serve");
    private static readonly Option<string?> QueueOption = Serve.Options.OfType<Option<string?>>().Single(o => o.Name == "--queue");

    /// <summary>
    /// Each FibRpc__ setting of the table, a value other than its default, and where serve's options show it. The
    /// RequestQueue row also shows that the default of --queue does not overwrite it.
    /// </summary>
    public static TheoryData<string, string, string> OptionSettings => new()
    {
        { "FibRpc__MaxN", "4242", nameof(FibRpcOptions.MaxN) },
        { "FibRpc__MaxBodyBytes", "128", nameof(FibRpcOptions.MaxBodyBytes) },
        { "FibRpc__PublishTimeoutSeconds", "7", nameof(FibRpcOptions.PublishTimeoutSeconds) },
        { "FibRpc__CacheBytes", "1024", nameof(FibRpcOptions.CacheBytes) },
        { "FibRpc__RequestQueue", "billing_rpc", nameof(FibRpcOptions.RequestQueue) },
        { "FibRpc__AllowedReplyQueues__0", "billing-replies", nameof(FibRpcOptions.AllowedReplyQueues) },
        { "FibRpc__AllowedReplyQueuePrefixes__0", "billing.replies.", nameof(FibRpcOptions.AllowedReplyQueuePrefixes) },
        { "FibRpc__ForbiddenReplyQueues__0", "audit", nameof(FibRpcOptions.ForbiddenReplyQueues) },
        { "FibRpc__MaxAttempts", "3", nameof(FibRpcOptions.MaxAttempts) },
        { "FibRpc__ReplyPublishAttempts", "2", nameof(FibRpcOptions.ReplyPublishAttempts) },
        { "FibRpc__BlockedWaitSeconds", "9", nameof(FibRpcOptions.BlockedWaitSeconds) },
    };

    [Theory]
    [MemberData(nameof(OptionSettings))]
    public void A_FibRpc_setting_in_the_environment_reaches_the_service(string variable, string value, string property)
    {
        var options = WithEnvironment(variable, value, () => ServeOptions("serve"));

        Assert.Equal(value, Show(options, property));
        Assert.NotEqual(value, Show(new FibRpcOptions(), property));
    }

    [Fact]
    public void A_given_queue_option_wins_over_FibRpc__RequestQueue()
    {
        var options = WithEnvironment("FibRpc__RequestQueue", "billing_rpc", () => ServeOptions("serve", "--queue", "other_rpc"));

        Assert.Equal("other_rpc", options.RequestQueue);
    }

    [Theory]
    [InlineData("RabbitMQConnection", "amqp://app:pw@broker-a:5672/v", "--connection", "amqp://app:pw@broker-b:5672/v")]
    [InlineData("RabbitMQCaFile", "/etc/ssl/private-ca.pem", "--ca-file", "/etc/ssl/other-ca.pem")]
    public void A_broker_setting_reaches_the_service_unless_its_option_is_given(string variable, string value, string option, string given)
    {
        Assert.Equal(value, WithEnvironment(variable, value, () => Configuration("serve", variable)));
        Assert.Equal(given, WithEnvironment(variable, value, () => Configuration("serve", variable, option, given)));
    }

    [Fact]
    public void The_prefetch_variable_wins_over_host_json()
    {
        // Zero, explained in words: FirstHourTests.A_bad_setting_stops_serve_with_one_line_naming_the_variable.
        var prefetch = WithEnvironment(FunctionsHostSettings.PrefetchOverrideVariable, "4", () => FunctionsHostSettings.PrefetchCount(FunctionsHostSettings.Load(RepoFiles.PathOf("host.json"))));

        Assert.Equal(4, prefetch);
    }

    [Fact]
    public void FUNCTIONS_WORKER_RUNTIME_is_what_the_local_settings_sample_gives_the_Functions_host()
    {
        // Read by the Functions host only (serve has no worker runtime to pick): its documented value must be the sample's.
        Assert.Contains("\"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\"", RepoFiles.Read("local.settings.sample.json"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_setting_of_the_README_table_has_a_test_here()
    {
        var readme = RepoFiles.Read("README.md");
        var table = readme[readme.IndexOf("| Setting | Default | Meaning |", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)];
        var documented = SettingCell().Matches(table).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var tested = OptionSettings.Select(row => (string)row[0]).Concat(["RabbitMQConnection", "RabbitMQCaFile", FunctionsHostSettings.PrefetchOverrideVariable, "FUNCTIONS_WORKER_RUNTIME"]).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(documented);
        Assert.Empty(documented.Except(tested));
    }

    [Fact]
    public void Settings_files_are_read_once_without_watching_the_current_directory()
    {
        // A watch for appsettings.json is a recursive watch of the content root, set up before anything else starts.
        var builder = ServeCommand.CreateBuilder(Root.Parse(["serve"]), QueueOption);

        var files = builder.Configuration.Sources.OfType<Microsoft.Extensions.Configuration.FileConfigurationSource>().ToList();
        Assert.NotEmpty(files);
        Assert.All(files, source => Assert.False(source.ReloadOnChange, source.Path));
    }

    private static FibRpcOptions ServeOptions(params string[] args)
    {
        var builder = ServeCommand.CreateBuilder(Root.Parse(args), QueueOption);
        builder.Services.AddFibRpc(builder.Configuration);
        using var provider = builder.Services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FibRpcOptions>>().Value;
    }

    private static string? Configuration(string command, string key, params string[] more) =>
        ServeCommand.CreateBuilder(Root.Parse([command, .. more]), QueueOption).Configuration[key];

    private static string Show(FibRpcOptions options, string property) =>
        typeof(FibRpcOptions).GetProperty(property)!.GetValue(options) switch
        {
            IEnumerable<string> list => string.Join(',', list),
            var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        };

    private static T WithEnvironment<T>(string variable, string value, Func<T> read)
    {
        var before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            return read();
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }

    // The first column of a row: | `FibRpc__MaxN` | or | `FibRpc__AllowedReplyQueues__0`, ... |
    [GeneratedRegex(@"^\| `(?<name>[A-Za-z_0-9]+)`", RegexOptions.Multiline)]
    private static partial Regex SettingCell();
}

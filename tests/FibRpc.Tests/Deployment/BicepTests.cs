using System.Text.Json;
using System.Text.RegularExpressions;

namespace FibRpc.Tests.Deployment;

/// <summary>deploy/azure/main.bicep (read as text) against the function, the framework and the other deployments.</summary>
public sealed partial class BicepTests
{
    private const string File = "deploy/azure/main.bicep";
    private const string ParamsFile = "deploy/azure/main.bicepparam";

    private static string Bicep => RepoFiles.Read(File);

    [Fact]
    public void AppSettings_RunTheIsolatedWorkerOnFunctionsV4()
    {
        var settings = AppSettings();
        using var local = JsonDocument.Parse(RepoFiles.Read(Sources.LocalSettings));

        Get(settings, "FUNCTIONS_EXTENSION_VERSION").AssertIs("~4", "the isolated worker on .NET 10 runs on Functions host v4");
        Sourced.AssertAgree(
            new Sourced(Sources.LocalSettings, "Values.FUNCTIONS_WORKER_RUNTIME", local.RootElement.GetProperty("Values").GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString()),
            Get(settings, "FUNCTIONS_WORKER_RUNTIME"));
    }

    [Fact]
    public void AppSettings_TakeTheTriggerConnectionFromKeyVault()
    {
        var setting = FunctionSource.Read().ConnectionSetting.Value!;
        var connection = Get(AppSettings(), setting);

        Assert.True(
            connection.Value!.StartsWith("@Microsoft.KeyVault(SecretUri=", StringComparison.Ordinal) && connection.Value.EndsWith(')'),
            $"{connection}: must be a Key Vault reference @Microsoft.KeyVault(SecretUri=...), never a literal secret");
        foreach (var file in new[] { File, ParamsFile })
        {
            Assert.False(RepoFiles.Read(file).Contains("amqp://", StringComparison.OrdinalIgnoreCase), $"{file}: contains an AMQP URI; the broker's URI belongs in Key Vault");
        }

        Assert.Matches(@"type:\s*'SystemAssigned'", Bicep);
        // Key Vault Secrets User, the built-in role that reads secret values.
        Assert.Contains("4633458b-17de-408a-b874-0445c86b69e6", Bicep);
    }

    [Fact]
    public void AppSettings_CoreSettingsAgreeWithKubernetes()
    {
        var settings = AppSettings();
        var deployment = KubernetesManifests.FunctionEnvironment();
        var core = deployment.Keys.Where(k => k.StartsWith("FibRpc__", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(core);
        foreach (var key in core)
        {
            Sourced.AssertAgree(deployment[key], Get(settings, key));
        }
    }

    [Fact]
    public void AppSettings_DoNotOverrideHostJsonPrefetch()
    {
        // host.json is deployed with the app; an override, if someone adds one, must say the same.
        if (AppSettings().TryGetValue(Sources.PrefetchEnv, out var prefetch))
        {
            Sourced.AssertAgree(Sources.HostPrefetch(), prefetch);
        }

        Sources.HostPrefetch().AssertIs("1", "the app's host.json is what Azure runs with");
    }

    [Fact]
    public void Site_IsLinuxDotnetIsolatedOnTheTargetFramework()
    {
        var linuxFx = At("linuxFxVersion", LinuxFxVersion());

        linuxFx.AssertIs($"DOTNET-ISOLATED|{Sources.DotnetVersion()}", $"follows {Sources.TargetFramework()}");
        Assert.Matches(@"kind:\s*'functionapp,linux'", Bicep);
    }

    [Fact]
    public void AppSettings_UseTheIsolatedWorkerPlaceholder_On64BitWorkers()
    {
        // A new instance specialises a worker the platform already started, when the site's .NET version matches
        // the project's (Site_IsLinuxDotnetIsolatedOnTheTargetFramework) and the worker process is 64-bit.
        Get(AppSettings(), "WEBSITE_USE_PLACEHOLDER_DOTNETISOLATED").AssertIs("1", "the platform's cold-start optimisation for .NET isolated apps");
        Assert.Matches(@"use32BitWorkerProcess:\s*false", Bicep);
    }

    [Fact]
    public void Plan_IsElasticPremium_WithRuntimeScaleMonitoring()
    {
        Assert.Matches(@"tier:\s*'ElasticPremium'", Bicep);
        Assert.Matches(@"kind:\s*'elastic'", Bicep);
        At("param planSku default", ParamDefault("planSku")).AssertIs("'EP1'", "EP1 is the default size");
        var allowed = AllowedPlanSkus().Match(Bicep);
        Assert.True(allowed.Success, $"{File}: planSku has no @allowed list");
        Assert.All(Regex.Matches(allowed.Groups[1].Value, "'([^']*)'").Select(m => m.Groups[1].Value), sku => Assert.True(sku.StartsWith("EP", StringComparison.Ordinal), $"{File}: planSku allows '{sku}', but the RabbitMQ trigger needs Elastic Premium (not Consumption or Flex Consumption)"));
        Assert.Matches(@"functionsRuntimeScaleMonitoringEnabled:\s*true", Bicep);

        var minimum = At("param minimumInstanceCount default", ParamDefault("minimumInstanceCount"));
        Assert.True(int.TryParse(minimum.Value, out var always) && always >= 1, $"{minimum}: at least one always-ready instance, so RPC callers never wait for a cold start");
    }

    [Fact]
    public void Parameters_EveryDocumented()
    {
        // A parameter's decorators are the lines above it, up to the blank line that separates declarations.
        var lines = Bicep.Split('\n');
        var undocumented = lines
            .Select((line, i) => (line, i))
            .Where(x => x.line.StartsWith("param ", StringComparison.Ordinal))
            .Where(x => !lines.Take(x.i).Reverse().TakeWhile(l => l.Trim().Length > 0).Any(l => l.StartsWith("@description(", StringComparison.Ordinal)))
            .Select(x => x.line.Split(' ')[1])
            .ToList();

        Assert.True(undocumented.Count == 0, $"{File}: parameters without @description: {string.Join(", ", undocumented)}");
    }

    /// <summary>The app settings of main.bicep: name -> value, with string(param) resolved to the param's default.</summary>
    private static Dictionary<string, Sourced> AppSettings()
    {
        var settings = new Dictionary<string, Sourced>(StringComparer.Ordinal);
        foreach (Match match in AppSetting().Matches(Bicep))
        {
            var name = match.Groups["name"].Value;
            var expression = match.Groups["value"].Value.Trim();
            var value = expression switch
            {
                _ when expression.StartsWith('\'') && expression.EndsWith('\'') => expression[1..^1],
                _ when StringOfParam().Match(expression) is { Success: true } param => ParamDefault(param.Groups[1].Value),
                _ => expression,
            };
            settings[name] = new Sourced(File, $"appSettings {name}", value);
        }

        Assert.True(settings.Count > 0, $"{File}: no appSettings entries found");
        return settings;
    }

    private static Sourced Get(Dictionary<string, Sourced> settings, string name)
    {
        Assert.True(settings.TryGetValue(name, out var value), $"{File}: no app setting '{name}'");
        return value!;
    }

    private static Sourced At(string location, string? value) => new(File, location, value);

    private static string? ParamDefault(string name)
    {
        var match = Regex.Match(Bicep, $@"^param\s+{Regex.Escape(name)}\s+\w+\s*=\s*(.+?)\s*$", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string? LinuxFxVersion()
    {
        var match = Regex.Match(Bicep, @"linuxFxVersion:\s*'([^']*)'");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"name:\s*'(?<name>[^']+)'\s*\r?\n\s*value:\s*(?<value>[^\r\n]+)")]
    private static partial Regex AppSetting();

    [GeneratedRegex(@"^string\((\w+)\)$")]
    private static partial Regex StringOfParam();

    [GeneratedRegex(@"@allowed\(\[([^\]]*)\]\)\s*param\s+planSku\b")]
    private static partial Regex AllowedPlanSkus();
}

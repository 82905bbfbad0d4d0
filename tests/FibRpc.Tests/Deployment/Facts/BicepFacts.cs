using System.Text.Json;
using System.Text.RegularExpressions;

namespace FibRpc.Tests.Deployment.Facts;

/// <summary>
/// deploy/azure/main.bicep, read from the ARM template that `bicep build` compiles it to (so Bicep's own parser
/// does the reading): the function app's settings, with <c>string(param)</c> resolved to the parameter's default,
/// and the runtime stack.
/// </summary>
internal static partial class BicepFacts
{
    public static IEnumerable<Statement> ReadCompiled(string file, string armTemplateJson)
    {
        using var json = JsonDocument.Parse(armTemplateJson);
        var template = json.RootElement;
        var statements = new List<Statement>();
        foreach (var site in template.GetProperty("resources").EnumerateArray().Where(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites"))
        {
            if (!site.TryGetProperty("properties", out var properties) || !properties.TryGetProperty("siteConfig", out var config))
            {
                continue;
            }

            if (config.TryGetProperty("linuxFxVersion", out var stack) && LinuxStack().Match(stack.GetString() ?? "") is { Success: true } dotnet)
            {
                statements.Add(new Statement(FactNames.DotnetVersion, dotnet.Groups[1].Value, file, $"siteConfig.linuxFxVersion '{stack.GetString()}'"));
            }

            if (!config.TryGetProperty("appSettings", out var settings))
            {
                continue;
            }

            foreach (var setting in settings.EnumerateArray())
            {
                var name = setting.GetProperty("name").GetString() ?? "";
                var (value, how) = Resolve(template, setting.GetProperty("value").GetString() ?? "");
                statements.AddRange(AppSettingFacts.Of(name, value, file, $"appSettings {name}{how}"));
            }
        }

        return statements;
    }

    private static (string? Value, string How) Resolve(JsonElement template, string expression)
    {
        if (!expression.StartsWith('['))
        {
            return (expression, "");
        }

        if (StringOfParameter().Match(expression) is { Success: true } parameter
            && template.GetProperty("parameters").TryGetProperty(parameter.Groups[1].Value, out var declaration)
            && declaration.TryGetProperty("defaultValue", out var defaultValue))
        {
            return (defaultValue.ValueKind == JsonValueKind.String ? defaultValue.GetString() : defaultValue.GetRawText(), $" = param {parameter.Groups[1].Value} default");
        }

        // A Key Vault reference built with format(): its literal start is all that matters here.
        if (KeyVaultReference().IsMatch(expression))
        {
            return ("@Microsoft.KeyVault(...)", " (Key Vault reference)");
        }

        return (null, "");
    }

    [GeneratedRegex(@"^DOTNET-ISOLATED\|(\d+\.\d+)$")]
    private static partial Regex LinuxStack();

    [GeneratedRegex(@"^\[string\(parameters\('(\w+)'\)\)\]$")]
    private static partial Regex StringOfParameter();

    [GeneratedRegex(@"^\[format\('@Microsoft\.KeyVault\(")]
    private static partial Regex KeyVaultReference();
}

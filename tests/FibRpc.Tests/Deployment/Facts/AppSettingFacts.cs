namespace FibRpc.Tests.Deployment.Facts;

/// <summary>
/// What one app setting (an environment variable of the function) states, wherever it is set: local settings,
/// compose, the Kubernetes Deployment, the Bicep app settings. The setting holding the AMQP URI names the trigger's
/// connection setting; the Functions host's own overrides state the prefetch and the function name.
/// </summary>
internal static class AppSettingFacts
{
    public static IEnumerable<Statement> Of(string name, string? value, string file, string location)
    {
        if (value is null)
        {
            yield break;
        }

        if (FactNames.IsAmqpUri(value) || value.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal))
        {
            yield return new Statement(FactNames.ConnectionSetting, name, file, $"{location} holds the AMQP URI");
        }

        var fact = name switch
        {
            FactNames.PrefetchEnvironmentVariable => FactNames.Prefetch,
            FactNames.FunctionsFilterVariable => FactNames.FunctionName,
            FactNames.WorkerRuntimeVariable => FactNames.WorkerRuntime,
            _ when name.StartsWith(FactNames.ServiceSettingPrefix, StringComparison.Ordinal) => FactNames.Setting(name),
            _ => null,
        };
        if (fact is not null)
        {
            yield return new Statement(fact, value, file, location);
        }
    }
}

using FibRpc.Messaging;
using FibRpc.Topology;
using FibRpc.Topology.Management;

namespace FibRpc.Cli.Commands;

/// <summary>`fibrpc topology --policies management`: sets the policies through the management API and reports what the queues follow.</summary>
internal static class ManagementPolicyStep
{
    /// <summary>The environment variable read when --management-url is not given.</summary>
    public const string UrlSetting = "RabbitMQManagementUrl";

    /// <summary>Returns the exit code: 0 when every queue follows its policy, 1 otherwise (with one line on stderr).</summary>
    public static async Task<int> RunAsync(
        string amqpSetting, string? managementUrl, string? caFile, string virtualHost, IReadOnlyList<QueuePolicy> policies, CancellationToken cancellationToken)
    {
        try
        {
            using var api = new ManagementApi(ManagementEndpoint.Resolve(amqpSetting, ResolveUrl(managementUrl)), caFile);
            var applied = await ManagementPolicyApplier.ApplyAsync(api, virtualHost, policies, cancellationToken: cancellationToken);
            Console.WriteLine($"policies set through the management API at {api.Endpoint}, and in effect:");
            foreach (var policy in applied)
            {
                Console.WriteLine($"  queue '{policy.Queue}' follows '{policy.Policy}': {policy.Definition}");
            }

            return 0;
        }
        catch (Exception e) when (e is ManagementApiException or ArgumentException or InvalidOperationException)
        {
            // The message never holds the password; scrubbing is the belt to those braces.
            await Console.Error.WriteLineAsync($"fibrpc topology: the queues are declared but their limits are not set: {BrokerUri.Scrub(e.Message, amqpSetting)}");
            return 1;
        }
    }

    /// <summary>--management-url, else the RabbitMQManagementUrl environment variable, else null (derived from the AMQP URI).</summary>
    private static string? ResolveUrl(string? option) =>
        option is { Length: > 0 } ? option : Environment.GetEnvironmentVariable(UrlSetting) is { Length: > 0 } set ? set : null;
}

using System.CommandLine;
using FibRpc.Contract;
using FibRpc.Messaging;
using FibRpc.Topology;
using FibRpc.Topology.Management;

namespace FibRpc.Cli.Commands;

/// <summary>
/// fibrpc topology: declares the request queue and its dead-letter exchange and queue over AMQP, then sets or prints
/// the queue limits as policies; with --definitions it writes the same topology as a broker definitions file.
/// </summary>
internal static class TopologyCommand
{
    /// <summary>The environment variable read when --management-url is not given.</summary>
    private const string ManagementUrlSetting = "RabbitMQManagementUrl";

    private static readonly Option<RpcQueueType> QueueType = new("--queue-type")
    {
        Description = "x-queue-type of the request and dead-letter queues, fixed for their life: quorum (replicated; the default) or classic (an existing deployment's queue until it migrates)",
        DefaultValueFactory = _ => RpcQueueType.Quorum,
    };

    private static readonly Option<int> MaxLength = new("--max-length")
    {
        Description = "Most requests the queue holds; beyond it publishers are refused (overflow reject-publish)",
        DefaultValueFactory = _ => QueueLimits.Default.MaxLength,
    };

    private static readonly Option<int> DeliveryLimit = new("--delivery-limit")
    {
        Description = "Deliveries of one request before a quorum queue dead-letters it",
        DefaultValueFactory = _ => QueueLimits.Default.DeliveryLimit,
    };

    private static readonly Option<int> DeadLetterMaxLength = new("--dead-letter-max-length")
    {
        Description = "Most dead letters kept (oldest dropped first)",
        DefaultValueFactory = _ => QueueLimits.Default.DeadLetterMaxLength,
    };

    private static readonly Option<PolicyMode> Policies = new("--policies")
    {
        Description = "How the limits reach the broker: print (the rabbitmqctl commands, the default), management (PUT them to the management HTTP API as the connection's user, who needs the policymaker tag, and check the queues follow them), none",
        DefaultValueFactory = _ => PolicyMode.Print,
    };

    private static readonly Option<string?> Node = new("--node")
    {
        Description = "With --policies print: the node the printed rabbitmqctl commands talk to (-n), e.g. rabbit@localhost",
    };

    private static readonly Option<string?> ManagementUrl = new("--management-url")
    {
        Description = $"With --policies management: the management API's URL, e.g. http://broker:15672/ (credentials in it replace the connection's). Default: the {ManagementUrlSetting} environment variable, else the first broker's host on port {ManagementEndpoint.DefaultPort} (https on {ManagementEndpoint.DefaultTlsPort} for amqps), as the connection's user",
    };

    private static readonly Option<string?> Definitions = new("--definitions")
    {
        Description = "Connect to nothing: write the broker definitions file of a development broker (the queues, exchange, binding and policies above, and the deployment's users with dev-only passwords, in vhost /) to FILE, or print it; deploy/rabbitmq/definitions.json is this output",
        HelpName = "FILE",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Command Create()
    {
        var command = new Command("topology", "Declare the request queue (durable, quorum by default) with its dead-letter exchange and queue, and set their limits as policies. Safe to run again; changing a limit changes the policy, never the queue.")
        {
            CommonOptions.Queue, QueueType, MaxLength, DeliveryLimit, DeadLetterMaxLength, Policies, Node, ManagementUrl, Definitions, CommonOptions.Connection, CommonOptions.CaFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var queue = parseResult.GetValue(CommonOptions.Queue)!;
            var type = parseResult.GetValue(QueueType);
            var limits = new QueueLimits
            {
                MaxLength = parseResult.GetValue(MaxLength),
                DeliveryLimit = parseResult.GetValue(DeliveryLimit),
                DeadLetterMaxLength = parseResult.GetValue(DeadLetterMaxLength),
            };
            if (limits.MaxLength < 1 || limits.DeliveryLimit < 1 || limits.DeadLetterMaxLength < 1)
            {
                await Console.Error.WriteLineAsync("fibrpc topology: --max-length, --delivery-limit and --dead-letter-max-length must be at least 1");
                return 1;
            }

            if (parseResult.GetResult(Definitions) is not null)
            {
                var definitions = BrokerDefinitions.Json(queue, type, limits);
                if (parseResult.GetValue(Definitions) is { Length: > 0 } file and not "-")
                {
                    await File.WriteAllTextAsync(file, definitions, cancellationToken);
                }
                else
                {
                    await Console.Out.WriteAsync(definitions);
                }

                return 0;
            }

            var uri = CommonOptions.ResolveConnection(parseResult);
            string virtualHost;
            try
            {
                var first = BrokerEndpoints.Parse(uri)[0];
                virtualHost = first.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(first.AbsolutePath[1..]);
                await using var connection = await RabbitConnection.CreateFactory(uri, "fibrpc-topology", CommonOptions.ResolveCaFile(parseResult)).CreateConnectionAsync(cancellationToken);
                await RpcTopology.DeclareAsync(connection, queue, type, cancellationToken);
            }
            catch (TopologyConflictException e)
            {
                await Console.Error.WriteLineAsync($"fibrpc topology: {BrokerUri.Scrub(e.Message, uri)}");
                return 1;
            }
            catch (Exception e) when (CommonOptions.IsConnectionFailure(e))
            {
                await Console.Error.WriteLineAsync($"fibrpc topology: {CommonOptions.Describe(e, parseResult)}");
                return 1;
            }

            Console.WriteLine($"declared: {RpcTopology.TypeName(type)} queue '{queue}' -> dead-letter exchange '{RpcNames.DeadLetterExchangeFor(queue)}' -> queue '{RpcNames.DeadLetterQueueFor(queue)}'");
            var policies = RpcPolicies.ForQueues(queue, limits);
            switch (parseResult.GetValue(Policies))
            {
                case PolicyMode.Management:
                    return await ApplyPoliciesAsync(uri, parseResult.GetValue(ManagementUrl), CommonOptions.ResolveCaFile(parseResult), virtualHost, policies, cancellationToken);
                case PolicyMode.Print:
                    Console.WriteLine("limits: AMQP cannot set policies; set them with --policies management, import deploy/rabbitmq/definitions.json, or run these on a broker node:");
                    var node = parseResult.GetValue(Node);
                    foreach (var entry in policies)
                    {
                        Console.WriteLine(RpcPolicies.RabbitmqctlCommand(entry.Policy, virtualHost, node));
                    }

                    break;
            }

            return 0;
        });
        return command;
    }

    /// <summary>--policies management: 0 when every queue follows its policy, 1 otherwise (with one line on stderr).</summary>
    private static async Task<int> ApplyPoliciesAsync(
        string amqpSetting, string? managementUrl, string? caFile, string virtualHost, IReadOnlyList<QueuePolicy> policies, CancellationToken cancellationToken)
    {
        try
        {
            managementUrl = managementUrl is { Length: > 0 } ? managementUrl : Environment.GetEnvironmentVariable(ManagementUrlSetting) is { Length: > 0 } set ? set : null;
            using var api = new ManagementApi(ManagementEndpoint.Resolve(amqpSetting, managementUrl), caFile);
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
}

/// <summary>How `fibrpc topology` puts the queue limits on the broker (--policies): AMQP cannot set a policy.</summary>
internal enum PolicyMode
{
    Print,
    Management,
    None,
}

using System.Diagnostics;
using FibRpc.Topology;

namespace FibRpc.Tests.Topology;

/// <summary>The rabbitmqctl commands `fibrpc topology` prints carry, through a shell, exactly the policies it applies.</summary>
public sealed class RabbitmqctlCommandTests
{
    [Fact]
    public void A_shell_hands_rabbitmqctl_the_policy_s_exact_arguments()
    {
        var policy = RpcPolicies.RequestQueue("odd.queue$", QueueLimits.Default);
        var command = RpcPolicies.RabbitmqctlCommand(policy, "my vhost", "rabbit@localhost");

        // The shell splits and unquotes the line as it would before running rabbitmqctl; printf shows each argument.
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"set -- {command}; shift; printf '%s\\n' \"$@\""]) { RedirectStandardOutput = true };
        using var shell = Process.Start(start)!;
        var arguments = shell.StandardOutput.ReadToEnd().TrimEnd('\n').Split('\n');
        shell.WaitForExit();

        Assert.Equal(
            ["-n", "rabbit@localhost", "set_policy", "-p", "my vhost", "--priority", "10", "--apply-to", "queues", policy.Name, policy.Pattern, RpcPolicies.DefinitionJson(policy)],
            arguments);
    }
}

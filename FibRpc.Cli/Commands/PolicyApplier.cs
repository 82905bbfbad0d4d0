using System.Diagnostics;
using System.Text;
using FibRpc.Topology;

namespace FibRpc.Cli.Commands;

/// <summary>
/// Sets <see cref="RpcPolicies"/> with rabbitmqctl, or writes the commands that would. rabbitmqctl talks to the node
/// over Erlang distribution (it needs the node's cookie), which is why this only works on a broker's machine; where
/// that is not possible, the printed commands or the definitions file carry the same policies.
/// </summary>
internal static class PolicyApplier
{
    public const string Rabbitmqctl = "/usr/sbin/rabbitmqctl";

    /// <summary>The command line for a shell, each argument quoted where needed.</summary>
    public static string CommandLine(IReadOnlyList<string> arguments, string? node) =>
        string.Join(' ', new[] { "rabbitmqctl" }.Concat(node is null ? [] : ["-n", node]).Concat(arguments).Select(Quote));

    /// <summary>Runs rabbitmqctl for each policy; returns the first failure's output, or null when all were set.</summary>
    public static async Task<string?> RunAsync(IEnumerable<IReadOnlyList<string>> commands, string? node, CancellationToken cancellationToken)
    {
        foreach (var arguments in commands)
        {
            var start = new ProcessStartInfo(File.Exists(Rabbitmqctl) ? Rabbitmqctl : "rabbitmqctl")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (node is not null)
            {
                start.ArgumentList.Add("-n");
                start.ArgumentList.Add(node);
            }

            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // rabbitmqctl gives up on an unreachable node by itself; this only guards against a hang.
            bound.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return $"{CommandLine(arguments, node)}: no answer within 60 s";
            }

            if (process.ExitCode != 0)
            {
                return $"{CommandLine(arguments, node)} failed ({process.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()}".Trim();
            }
        }

        return null;
    }

    private static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '@' or ':'))
        {
            return argument;
        }

        var quoted = new StringBuilder("'");
        quoted.Append(argument.Replace("'", "'\\''", StringComparison.Ordinal));
        return quoted.Append('\'').ToString();
    }
}

using System.Text.RegularExpressions;

namespace FibRpc.Topology.Management;

/// <summary>
/// Which of a virtual host's policies RabbitMQ applies to a queue: of those whose pattern matches the queue's name
/// and that apply to queues, the one of highest priority. Two at the same highest priority leave the choice to the
/// broker, so neither can be said to be in effect.
/// </summary>
public static class PolicyPrecedence
{
    /// <summary>The policies that match <paramref name="queue"/>, highest priority first.</summary>
    public static IReadOnlyList<StoredPolicy> Matching(string queue, IEnumerable<StoredPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return [.. policies.Where(policy => AppliesToQueues(policy.ApplyTo) && Matches(policy.Pattern, queue)).OrderByDescending(policy => policy.Priority)];
    }

    /// <summary>"all", "queues", and the per-type kinds of newer brokers ("quorum_queues", "classic_queues", "streams").</summary>
    private static bool AppliesToQueues(string applyTo) => applyTo is "all" or "queues" or "streams" || applyTo.EndsWith("_queues", StringComparison.Ordinal);

    private static bool Matches(string pattern, string queue)
    {
        try
        {
            // The broker matches with Erlang's re (PCRE); for the anchored, escaped names policies use, .NET agrees.
            return Regex.IsMatch(queue, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            // A pattern .NET cannot read (a PCRE-only construct) is not counted as a match.
            return false;
        }
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace FibRpc.Topology.Management;

/// <summary>A policy the broker holds as sent and that wins its queue, its definition as JSON, as read back from the management API.</summary>
public sealed record AppliedPolicy(string Queue, string Policy, string Definition);

/// <summary>
/// Puts policies on their queues through the management API, then reads them back and checks that the broker holds
/// each as sent and that no other policy (an operator's, of higher priority) wins its queue. It reads the policies,
/// not a queue's "policy" field, which comes from statistics that lag by up to collect_statistics_interval (5 s).
/// </summary>
public static class ManagementPolicyApplier
{
    /// <summary>Sets each policy, then checks each is stored as sent and wins its queue.</summary>
    /// <exception cref="ManagementApiException">A call failed, or a policy is not what its queue follows.</exception>
    public static async Task<IReadOnlyList<AppliedPolicy>> ApplyAsync(
        ManagementApi api, string virtualHost, IReadOnlyList<QueuePolicy> policies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(policies);
        foreach (var entry in policies)
        {
            await api.PutPolicyAsync(virtualHost, entry.Policy, cancellationToken).ConfigureAwait(false);
        }

        var stored = await api.GetPoliciesAsync(virtualHost, cancellationToken).ConfigureAwait(false);
        return [.. policies.Select(entry => Check(entry, stored))];
    }

    /// <summary>The policy as the queue follows it, or why it does not.</summary>
    /// <exception cref="ManagementApiException">The policy is missing, holds other values, or another wins the queue.</exception>
    public static AppliedPolicy Check(QueuePolicy entry, IReadOnlyList<StoredPolicy> stored)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(stored);
        var sent = RpcPolicies.DefinitionJson(entry.Policy);
        var ours = stored.FirstOrDefault(policy => policy.Name == entry.Policy.Name);
        if (ours is null || !HoldsExactly(ours.Definition, sent) || ours.Pattern != entry.Policy.Pattern || ours.Priority != entry.Policy.Priority)
        {
            throw new ManagementApiException(ManagementFailure.NotInEffect,
                $"policy '{entry.Policy.Name}' was accepted, but the broker then holds {(ours is null ? "no such policy" : $"pattern {ours.Pattern}, priority {ours.Priority}, {ours.Definition.GetRawText()}")} instead of pattern {entry.Policy.Pattern}, priority {entry.Policy.Priority}, {sent}: another client may be setting it at the same time");
        }

        // Of the policies whose pattern matches the queue and that apply to queues, the broker applies the one of
        // highest priority; two at the same highest priority leave the choice to the broker, so neither wins.
        var rivals = stored
            .Where(policy => AppliesToQueues(policy.ApplyTo) && Matches(policy.Pattern, entry.Queue))
            .Where(policy => policy.Name != ours.Name && policy.Priority >= ours.Priority)
            .OrderByDescending(policy => policy.Priority)
            .ToList();
        if (rivals.Count > 0)
        {
            throw new ManagementApiException(ManagementFailure.NotInEffect,
                $"policy '{ours.Name}' is set, but queue '{entry.Queue}' follows another: {string.Join(", ", rivals.Select(policy => $"'{policy.Name}' (priority {policy.Priority}, pattern {policy.Pattern})"))} "
                + $"{(rivals.Any(policy => policy.Priority == ours.Priority) ? "ties with" : "outranks")} it (priority {ours.Priority}); give that policy a lower priority or a pattern that leaves '{entry.Queue}' out");
        }

        return new AppliedPolicy(entry.Queue, ours.Name, ours.Definition.GetRawText());
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

    /// <summary>Same keys, same values: numbers compared as numbers, whatever their spelling.</summary>
    private static bool HoldsExactly(JsonElement held, string sentJson)
    {
        using var sent = JsonDocument.Parse(sentJson);
        return held.ValueKind == JsonValueKind.Object && JsonElement.DeepEquals(held, sent.RootElement);
    }
}

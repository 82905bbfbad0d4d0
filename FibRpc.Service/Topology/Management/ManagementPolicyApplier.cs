using System.Diagnostics;
using System.Text.Json;

namespace FibRpc.Service.Topology.Management;

/// <summary>
/// Puts policies on their queues through the management API and then checks, queue by queue, that the broker applies
/// them: a PUT that succeeds only says the policy is stored, while a queue follows only the policy of highest priority
/// that matches it, so another policy (an operator's, of higher priority) could still win.
/// </summary>
public static class ManagementPolicyApplier
{
    /// <summary>How long a queue may take to show a policy just set (it is applied to running queues in the background).</summary>
    public static readonly TimeSpan DefaultSettleTime = TimeSpan.FromSeconds(10);

    /// <summary>Sets each policy, then waits until each queue follows its policy with exactly its values.</summary>
    /// <exception cref="ManagementApiException">A call failed, or a queue does not follow its policy within <paramref name="settleTime"/>.</exception>
    public static async Task<IReadOnlyList<AppliedPolicy>> ApplyAsync(
        ManagementApi api, string virtualHost, IReadOnlyList<QueuePolicy> policies, TimeSpan? settleTime = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(policies);
        foreach (var entry in policies)
        {
            await api.PutPolicyAsync(virtualHost, entry.Policy, cancellationToken).ConfigureAwait(false);
        }

        var applied = new List<AppliedPolicy>(policies.Count);
        foreach (var entry in policies)
        {
            applied.Add(await AwaitInEffectAsync(api, virtualHost, entry, settleTime ?? DefaultSettleTime, cancellationToken).ConfigureAwait(false));
        }

        return applied;
    }

    /// <summary>
    /// Whether the queue follows <paramref name="policy"/>: its name is the queue's policy, and each of its keys has
    /// its value among the keys in force (an operator policy may add keys, which is not this policy's business).
    /// </summary>
    public static bool IsInEffect(QueuePolicyState state, RpcPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(policy);
        if (state.Policy != policy.Name || state.EffectivePolicyDefinition is not { ValueKind: JsonValueKind.Object } effective)
        {
            return false;
        }

        using var expected = JsonDocument.Parse(RpcPolicies.DefinitionJson(policy));
        return expected.RootElement.EnumerateObject().All(key => effective.TryGetProperty(key.Name, out var value) && JsonElement.DeepEquals(value, key.Value));
    }

    private static async Task<AppliedPolicy> AwaitInEffectAsync(ManagementApi api, string virtualHost, QueuePolicy entry, TimeSpan settleTime, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var state = await api.GetQueuePolicyAsync(virtualHost, entry.Queue, cancellationToken).ConfigureAwait(false);
            var effective = state.EffectivePolicyDefinition?.GetRawText() ?? "{}";
            if (IsInEffect(state, entry.Policy))
            {
                return new AppliedPolicy(entry.Queue, entry.Policy.Name, effective);
            }

            if (waited.Elapsed > settleTime)
            {
                var follows = string.IsNullOrEmpty(state.Policy) ? "no policy" : $"policy '{state.Policy}'";
                throw new ManagementApiException(ManagementFailure.NotInEffect,
                    $"policy '{entry.Policy.Name}' is set, but after {settleTime.TotalSeconds:0} s queue '{entry.Queue}' follows {follows} with {effective}, not {RpcPolicies.DefinitionJson(entry.Policy)}: "
                    + $"a policy of higher priority than {entry.Policy.Priority} that matches the queue wins (rabbitmqctl list_policies shows them)");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }
}

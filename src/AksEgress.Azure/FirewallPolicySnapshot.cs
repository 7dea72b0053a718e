using AksEgress.Firewall;

namespace AksEgress.Azure;

/// <summary>A firewall policy's rule collection groups and DNS proxy setting, as read for a coverage check. Read only.</summary>
public sealed record FirewallPolicySnapshot(IReadOnlyList<FirewallRuleCollectionGroup> Groups, bool DnsProxyEnabled)
{
    public static async Task<FirewallPolicySnapshot> ReadAsync(IFirewallPolicyStore store, string policyResourceId, CancellationToken cancellationToken)
    {
        try
        {
            var policyId = ArmFirewallPolicyStore.ParsePolicyId(policyResourceId);
            var policy = await store.GetPolicyAsync(policyId, cancellationToken).ConfigureAwait(false)
                ?? throw new FirewallApplyException("PolicyNotFound", FailureKind.NotFound, $"Firewall policy {policyId.Name} does not exist in resource group {policyId.ResourceGroupName}.");
            var groups = await store.ListGroupsAsync(policyId, cancellationToken).ConfigureAwait(false);
            return new FirewallPolicySnapshot(groups.Select(g => g.Group).ToList(), policy.DnsProxyEnabled);
        }
        catch (Exception ex) when (ArmErrors.IsArmFailure(ex))
        {
            throw ArmErrors.Translate(ex);
        }
    }
}

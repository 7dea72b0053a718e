
namespace AksEgress.Firewall;

/// <summary>A firewall policy's rule collection groups and DNS proxy setting, as read for a coverage check. Read only.</summary>
public sealed record FirewallPolicySnapshot(IReadOnlyList<FirewallRuleCollectionGroup> Groups, bool DnsProxyEnabled)
{
    public static async Task<FirewallPolicySnapshot> ReadAsync(IFirewallPolicyStore store, string policyResourceId, CancellationToken cancellationToken)
    {
        var policyId = FirewallPolicyId.Parse(policyResourceId);
        var policy = await store.GetPolicyAsync(policyId, cancellationToken).ConfigureAwait(false)
            ?? throw new FirewallApplyException("PolicyNotFound", FailureKind.NotFound, $"Firewall policy {policyId.Name} does not exist in resource group {policyId.ResourceGroupName}.");
        var groups = await store.ListGroupsAsync(policyId, cancellationToken).ConfigureAwait(false);
        return new FirewallPolicySnapshot(groups.Select(g => g.Group).ToList(), policy.DnsProxyEnabled);
    }
}

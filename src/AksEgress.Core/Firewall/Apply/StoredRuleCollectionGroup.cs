
namespace AksEgress.Firewall;

/// <summary>A rule collection group as stored in the policy, with the ETag to make the next write conditional on.</summary>
public sealed record StoredRuleCollectionGroup(FirewallRuleCollectionGroup Group, string? ETag, string? ProvisioningState);

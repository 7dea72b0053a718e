namespace AksEgress.Firewall;

/// <summary>A rule collection group of a firewall policy: the unit this module owns and writes.</summary>
public sealed record FirewallRuleCollectionGroup(string Name, int Priority, IReadOnlyList<FirewallRuleCollection> RuleCollections)
{
    public IEnumerable<FirewallPolicyRule> Rules => RuleCollections.SelectMany(c => c.Rules);

    /// <summary>0 for the policy's own groups, 1 for its parent's (basePolicy), 2 for the grandparent's: Azure Firewall processes the higher levels first, whatever the priorities.</summary>
    public int InheritanceLevel { get; init; }

    /// <summary>Network rules with FQDN destinations work only with DNS proxy enabled on the policy.</summary>
    public bool RequiresDnsProxy => Rules.Any(r => r.DestinationFqdns.Count > 0);

    /// <summary>
    /// Whether this module wrote the group: only its two filter collections, and every rule marked with
    /// <see cref="RuleCollectionGroupBuilder.DescriptionPrefix"/>. Anything else is someone else's and is not overwritten without -Force.
    /// </summary>
    public bool IsManagedByAksEgress => RuleCollections.All(c =>
        c.RuleCollectionType == "FirewallPolicyFilterRuleCollection"
        && c.Name is RuleCollectionGroupBuilder.NetworkCollectionName or RuleCollectionGroupBuilder.ApplicationCollectionName
        && c.Rules.All(r => r.Description?.StartsWith(RuleCollectionGroupBuilder.DescriptionPrefix, StringComparison.Ordinal) == true));
}

namespace AksEgress.Firewall;

/// <summary>A filter rule collection (ARM <c>FirewallPolicyFilterRuleCollection</c>) and its rules.</summary>
public sealed record FirewallRuleCollection(string Name, int Priority, string Action, IReadOnlyList<FirewallPolicyRule> Rules)
{
    /// <summary>The collection type ARM reports; this module writes only filter collections.</summary>
    public string RuleCollectionType { get; init; } = "FirewallPolicyFilterRuleCollection";
}

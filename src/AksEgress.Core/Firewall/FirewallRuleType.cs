namespace AksEgress.Firewall;

/// <summary>The ARM <c>ruleType</c> of a firewall policy rule that this module writes.</summary>
public enum FirewallRuleType
{
    NetworkRule,
    ApplicationRule,
}

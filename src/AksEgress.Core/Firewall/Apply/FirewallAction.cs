namespace AksEgress.Firewall;

/// <summary>What applying does to the rule collection group.</summary>
public enum FirewallAction
{
    /// <summary>The group already holds exactly the desired rules: no write.</summary>
    None,
    Create,
    Update,
}

namespace AksEgress.Catalog;

/// <summary>Where the rule goes in a firewall: a layer-4 network rule or a layer-7 application (FQDN) rule.</summary>
public enum RuleKind
{
    Network,
    Application,
}

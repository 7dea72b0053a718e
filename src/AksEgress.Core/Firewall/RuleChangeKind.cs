namespace AksEgress.Firewall;

public enum RuleChangeKind
{
    Added,
    Removed,
    Changed,
}

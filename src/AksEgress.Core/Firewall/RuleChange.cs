namespace AksEgress.Firewall;

/// <summary>One rule that a write would add, remove or change, with what it allows before and after.</summary>
public sealed record RuleChange(RuleChangeKind Change, string Collection, string Rule, string? Before, string? After)
{
    public override string ToString() => Change switch
    {
        RuleChangeKind.Added => $"+ {Collection}/{Rule}: {After}",
        RuleChangeKind.Removed => $"- {Collection}/{Rule}: {Before}",
        _ => $"~ {Collection}/{Rule}: {Before}  =>  {After}",
    };
}

namespace AksEgress.Firewall;

/// <summary>One rule that a write would add, remove or change, with what it allows before and after.</summary>
public sealed record RuleChange
{
    internal RuleChange(RuleChangeKind change, string collection, string rule, string? before, string? after)
    {
        ChangeValue = change;
        Collection = collection;
        Rule = rule;
        Before = before;
        After = after;
    }

    /// <summary>Added, Removed or Changed.</summary>
    public string Change => ChangeValue.ToString();
    public string Collection { get; }
    public string Rule { get; }
    public string? Before { get; }
    public string? After { get; }

    internal RuleChangeKind ChangeValue { get; }

    public override string ToString() => ChangeValue switch
    {
        RuleChangeKind.Added => $"+ {Collection}/{Rule}: {After}",
        RuleChangeKind.Removed => $"- {Collection}/{Rule}: {Before}",
        _ => $"~ {Collection}/{Rule}: {Before}  =>  {After}",
    };
}

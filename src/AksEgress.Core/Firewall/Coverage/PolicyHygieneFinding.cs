namespace AksEgress.Firewall.Coverage;

/// <summary>A rule of the policy worth a second look: stale (2019 edition only) or over-broad.</summary>
public sealed record PolicyHygieneFinding
{
    internal PolicyHygieneFinding(PolicyHygieneKind kind, string ruleCollectionGroup, string ruleCollection, string rule, string message)
    {
        KindValue = kind;
        RuleCollectionGroup = ruleCollectionGroup;
        RuleCollection = ruleCollection;
        Rule = rule;
        Message = message;
    }

    /// <summary>Stale or OverBroad.</summary>
    public string Kind => KindValue.ToString();
    public string RuleCollectionGroup { get; }
    public string RuleCollection { get; }
    public string Rule { get; }
    public string Message { get; }

    internal PolicyHygieneKind KindValue { get; }

    public override string ToString() => $"{Kind} {RuleCollectionGroup}/{RuleCollection}/{Rule}: {Message}";
}

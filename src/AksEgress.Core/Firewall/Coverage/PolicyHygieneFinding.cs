namespace AksEgress.Firewall.Coverage;

/// <summary>A rule of the policy worth a second look: stale (AKSFW001, or AKSFW004 for one destination of it) or over-broad (AKSFW002, AKSFW003).</summary>
public sealed record PolicyHygieneFinding : Finding
{
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    internal PolicyHygieneFinding(string code, PolicyHygieneKind kind, string ruleCollectionGroup, string ruleCollection, string rule, string message)
    {
        Code = code;
        SeverityValue = FindingSeverity.Warning;
        Message = message;
        KindValue = kind;
        RuleCollectionGroup = ruleCollectionGroup;
        RuleCollection = ruleCollection;
        Rule = rule;
    }

    /// <summary>Stale or OverBroad.</summary>
    public string Kind => KindValue.ToString();
    public string RuleCollectionGroup { get; }
    public string RuleCollection { get; }
    public string Rule { get; }
    /// <summary>For AKSFW004: the one obsolete destination to remove from a rule that also allows current ones.</summary>
    public string? Destination { get; init; }

    public override string? Target => $"{RuleCollectionGroup}/{RuleCollection}/{Rule}";

    internal PolicyHygieneKind KindValue { get; }

    public override string ToString() => $"{Kind} {Target}: {Message}";
}

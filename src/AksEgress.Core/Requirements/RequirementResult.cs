namespace AksEgress.Requirements;

/// <summary>The answer to a query: the rules, the rules left out with the reason, and warnings the user should read.</summary>
public sealed record RequirementResult(
    string Location,
    IReadOnlyList<AksEgressRule> Rules,
    IReadOnlyList<RuleOmission> Omissions,
    IReadOnlyList<string> Warnings);

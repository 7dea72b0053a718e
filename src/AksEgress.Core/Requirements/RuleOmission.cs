namespace AksEgress.Requirements;

/// <summary>A catalog rule that matched the cloud and features but was left out, and why.</summary>
public sealed record RuleOmission(string RuleId, string Reason);

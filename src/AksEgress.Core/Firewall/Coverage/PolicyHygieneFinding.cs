namespace AksEgress.Firewall.Coverage;

/// <summary>A rule of the policy worth a second look: stale (2019 edition only) or over-broad.</summary>
public sealed record PolicyHygieneFinding(PolicyHygieneKind Kind, string RuleCollectionGroup, string RuleCollection, string Rule, string Message);

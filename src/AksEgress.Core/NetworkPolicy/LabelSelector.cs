namespace AksEgress.NetworkPolicy;

/// <summary>A Kubernetes label selector: matchLabels and matchExpressions, ANDed. An empty selector matches everything.</summary>
public sealed record LabelSelector(IReadOnlyDictionary<string, string> MatchLabels, IReadOnlyList<LabelSelectorRequirement> MatchExpressions)
{
    public static readonly LabelSelector Everything = new(new Dictionary<string, string>(), []);

    public bool IsEmpty => MatchLabels.Count == 0 && MatchExpressions.Count == 0;

    public bool UsesNegation => MatchExpressions.Any(e => e.IsNegative);

    public bool Matches(IReadOnlyDictionary<string, string> labels) =>
        MatchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value) && MatchExpressions.All(e => e.Matches(labels));

    public override string ToString() => IsEmpty ? "{}"
        : string.Join(",", MatchLabels.Select(l => $"{l.Key}={l.Value}").Concat(MatchExpressions.Select(e => $"{e.Key} {e.Operator} ({string.Join(",", e.Values)})")));
}

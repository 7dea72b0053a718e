namespace AksEgress.NetworkPolicy;

/// <summary>A Kubernetes label selector: matchLabels and matchExpressions, ANDed. An empty selector matches everything.</summary>
public sealed record LabelSelector(IReadOnlyDictionary<string, string> MatchLabels, IReadOnlyList<LabelSelectorRequirement> MatchExpressions)
{
    public static readonly LabelSelector Everything = new(new Dictionary<string, string>(), []);

    public bool IsEmpty => MatchLabels.Count == 0 && MatchExpressions.Count == 0;

    public bool UsesNegation => MatchExpressions.Any(e => e.IsNegative);

    /// <summary>
    /// Labels every pod it selects carries, for finding candidates through an index: each matchLabels pair, a one-value
    /// In (key and value), an Exists (key, any value: null). The other requirements narrow nothing by themselves.
    /// </summary>
    public IEnumerable<(string Key, string? Value)> NecessaryLabels() =>
        MatchLabels.Select(l => (l.Key, (string?)l.Value))
            .Concat(MatchExpressions.Where(e => e.Operator == "Exists" || (e.Operator == "In" && e.Values.Count == 1))
                .Select(e => (e.Key, e.Operator == "In" ? e.Values[0] : null)));

    /// <summary>On the hot path of the matrix: plain loops, no allocation.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var label in MatchLabels)
        {
            if (!labels.TryGetValue(label.Key, out var value) || value != label.Value)
            {
                return false;
            }
        }

        for (var i = 0; i < MatchExpressions.Count; i++)
        {
            if (!MatchExpressions[i].Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => IsEmpty ? "{}"
        : string.Join(",", MatchLabels.Select(l => $"{l.Key}={l.Value}").Concat(MatchExpressions.Select(e => $"{e.Key} {e.Operator} ({string.Join(",", e.Values)})")));
}

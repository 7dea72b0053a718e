namespace AksEgress.NetworkPolicy;

/// <summary>
/// Things with labels (groups of pods, namespaces) found by a selector without trying each one: every item is filed
/// under its namespace, each of its labels and each of its keys, and a selector looks only at the items filed under
/// its narrowest requirement (a matchLabels pair, a one-value In, an Exists key), then checks those.
/// </summary>
internal sealed class LabelIndex<T>
{
    private static readonly List<T> None = [];
    private readonly Dictionary<string, List<T>> _all = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Key, string Value), List<T>> _byLabel = [];
    private readonly Dictionary<(string Namespace, string Key), List<T>> _byKey = [];
    private readonly Func<T, IReadOnlyDictionary<string, string>> _labels;

    public LabelIndex(IEnumerable<T> items, Func<T, string> namespaceOf, Func<T, IReadOnlyDictionary<string, string>> labels)
    {
        _labels = labels;
        foreach (var item in items)
        {
            var ns = namespaceOf(item);
            _all.ListFor(ns).Add(item);
            foreach (var label in labels(item))
            {
                _byLabel.ListFor((ns, label.Key, label.Value)).Add(item);
                _byKey.ListFor((ns, label.Key)).Add(item);
            }
        }
    }

    /// <summary>The namespaces that hold items.</summary>
    public IEnumerable<string> Namespaces => _all.Keys;

    /// <summary>The items of a namespace, in the order they were given.</summary>
    public IReadOnlyList<T> In(string ns) => _all.TryGetValue(ns, out var items) ? items : None;

    /// <summary>The items of <paramref name="ns"/> that <paramref name="selector"/> matches, in the order they were given.</summary>
    public IEnumerable<T> Matching(string ns, LabelSelector selector)
    {
        var candidates = In(ns);
        foreach (var (key, value) in selector.NecessaryLabels())
        {
            var filed = value is null ? _byKey.TryGetValue((ns, key), out var keyed) ? keyed : None
                : _byLabel.TryGetValue((ns, key, value), out var labelled) ? labelled : None;
            if (filed.Count < candidates.Count)
            {
                candidates = filed;
            }
        }

        return candidates.Where(c => selector.Matches(_labels(c)));
    }
}

namespace AksEgress.Catalog.Import;

/// <summary>One way the document and a catalog differ: a rule the document adds, one it no longer has, or one whose destinations changed.</summary>
public sealed record CatalogDifference
{
    /// <summary>Added (the document has it, the catalog not), Removed (the catalog has it, the document not) or Changed.</summary>
    public required string Change { get; init; }
    /// <summary>AzureCloud, AzureChinaCloud or AzureUSGovernment (strings, so that ConvertTo-Json and Export-Csv write the names).</summary>
    public string Cloud => CloudValue.ToString();
    /// <summary>The feature the rule is for; None for the core rules.</summary>
    public string Feature => FeatureValue.ToString();
    public string Category => CategoryValue.ToString();
    public string Kind => KindValue.ToString();
    public string Protocol => ProtocolValue.ToString();
    public required int Port { get; init; }
    internal AksCloud CloudValue { get; init; }
    internal AksFeature FeatureValue { get; init; }
    internal RuleCategory CategoryValue { get; init; }
    internal RuleKind KindValue { get; init; }
    internal RuleProtocol ProtocolValue { get; init; }
    /// <summary>The destinations (alternatives of a network rule, in the document's order when it has them).</summary>
    public required IReadOnlyList<string> Destination { get; init; }
    /// <summary>What the catalog had, for a Changed network rule.</summary>
    public IReadOnlyList<string>? Before { get; init; }
    public string? Section { get; init; }
    /// <summary>What the document says the rule is for (Added and Changed).</summary>
    public string? Use { get; init; }
    /// <summary>The document's line, for Added and Changed.</summary>
    public int? Line { get; init; }
    /// <summary>The catalog rule, for Removed and Changed.</summary>
    public string? RuleId { get; init; }

    public override string ToString() =>
        $"{Change} {Cloud} {(FeatureValue is AksFeature.None ? "core" : Feature)} {Protocol}:{Port} {string.Join(" | ", Destination)}"
        + (Before is null ? "" : $" (was {string.Join(" | ", Before)})") + (RuleId is null ? "" : $" [{RuleId}]") + (Line is null ? "" : $" (line {Line})");
}

/// <summary>
/// Compares the rows of a revision of the document with a catalog's rules as of the revision's date. Rules retired by
/// an announcement that is not the document (Azure/AKS#4792) still count as the catalog's, because the document may
/// still list them: only what the document itself says is compared.
/// </summary>
public static class CatalogComparer
{
    public static IReadOnlyList<CatalogDifference> Compare(RuleCatalog catalog, IReadOnlyList<DocumentRow> rows, DateTime asOf)
    {
        static bool FromDocument(Amendment? a) => a is null || a.Id.StartsWith("DOC-", StringComparison.OrdinalIgnoreCase);
        var rules = catalog.Rules.Where(r => r.Edition is CatalogEdition.Current
                && (r.IntroducedBy is null || r.IntroducedBy.Date <= asOf)
                && (r.RetiredBy is null || r.RetiredBy.Date > asOf || !FromDocument(r.RetiredBy)))
            .SelectMany(r => new[] { AksCloud.AzureCloud, AksCloud.AzureChinaCloud, AksCloud.AzureUSGovernment }.Where(r.AppliesTo).Select(c => (Rule: r, Cloud: c)))
            .ToList();

        string Key(AksCloud cloud, AksFeature feature, RuleKind kind, RuleProtocol protocol, int port, IEnumerable<string> destinations) =>
            $"{cloud}|{feature}|{kind}|{protocol}|{port}|" + (kind is RuleKind.Network ? "" : string.Join(",", destinations.Select(d => d.ToLowerInvariant()).OrderBy(d => d, StringComparer.Ordinal)));
        static string Set(IEnumerable<string> destinations) => string.Join(",", destinations.Select(d => d.ToLowerInvariant()).Distinct().OrderBy(d => d, StringComparer.Ordinal));

        var catalogByKey = rules.ToLookup(x => Key(x.Cloud, x.Rule.Feature, x.Rule.Kind, x.Rule.Protocol, x.Rule.Port, x.Rule.Destinations.Select(d => d.Value)));
        var documentByKey = rows.ToLookup(r => Key(r.Cloud, r.Feature, r.Kind, r.Protocol, r.Port, r.Destinations));
        var differences = new List<CatalogDifference>();
        var matched = new HashSet<(string, AksCloud)>();
        foreach (var group in documentByKey)
        {
            var catalogSide = catalogByKey[group.Key].ToList();
            foreach (var row in group)
            {
                // A network rule is matched by cloud, feature, protocol and port; its alternatives may still differ (Changed).
                var same = catalogSide.FirstOrDefault(c => Set(c.Rule.Destinations.Select(d => d.Value)) == Set(row.Destinations));
                var changed = same.Rule is null && row.Kind is RuleKind.Network
                    ? catalogSide.FirstOrDefault(c => c.Rule.Destinations.Select(d => d.Value).Intersect(row.Destinations, StringComparer.OrdinalIgnoreCase).Any())
                    : default;
                var hit = same.Rule is not null ? same : changed;
                if (hit.Rule is null)
                {
                    differences.Add(Difference("Added", row));
                    continue;
                }

                catalogSide.Remove(hit);
                matched.Add((hit.Rule.Id, hit.Cloud));
                if (same.Rule is null)
                {
                    differences.Add(Difference("Changed", row) with { Before = hit.Rule.Destinations.Select(d => d.Value).ToList(), RuleId = hit.Rule.Id });
                }
            }
        }

        differences.AddRange(rules.Where(x => !matched.Contains((x.Rule.Id, x.Cloud))).Select(x => new CatalogDifference
        {
            Change = "Removed", CloudValue = x.Cloud, FeatureValue = x.Rule.Feature, CategoryValue = x.Rule.Category, KindValue = x.Rule.Kind, ProtocolValue = x.Rule.Protocol, Port = x.Rule.Port,
            Destination = x.Rule.Destinations.Select(d => d.Value).ToList(), Section = x.Rule.Sources.FirstOrDefault()?.Section, RuleId = x.Rule.Id,
        }));
        return differences.OrderBy(d => d.CloudValue).ThenBy(d => d.FeatureValue).ThenBy(d => d.Change, StringComparer.Ordinal).ThenBy(d => string.Join(",", d.Destination), StringComparer.Ordinal).ToList();
    }

    private static CatalogDifference Difference(string change, DocumentRow row) => new()
    {
        Change = change, CloudValue = row.Cloud, FeatureValue = row.Feature, CategoryValue = row.Category, KindValue = row.Kind, ProtocolValue = row.Protocol, Port = row.Port,
        Destination = row.Destinations, Section = row.Section, Line = row.Line, Use = row.Use,
    };
}

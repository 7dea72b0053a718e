namespace AksEgress.Catalog;

/// <summary>
/// One dated change of the rules: a rule an amendment added or removed, with the document (and commit) that says so.
/// <c>Get-AksEgressCatalog | Select-Object -ExpandProperty Changes | Where-Object Date -gt 2025-01-01</c>.
/// </summary>
public sealed record CatalogChange
{
    internal CatalogChange(CatalogRule rule, Amendment amendment, bool added)
    {
        Date = amendment.Date;
        Change = added ? "Added" : "Removed";
        Rule = rule.Id;
        Clouds = rule.Clouds.Count == 0 ? "All" : string.Join(", ", rule.Clouds);
        Feature = rule.Feature.ToString();
        Destination = string.Join(" | ", rule.Destinations.Select(d => d.Value));
        Amendment = amendment.Id;
        Summary = amendment.Summary;
        Source = amendment.Source.Document;
        SourceUrl = amendment.Source.Url;
    }

    public DateTime Date { get; }

    /// <summary>Added or Removed.</summary>
    public string Change { get; }
    public string Rule { get; }

    /// <summary>The clouds the rule is for, or "All".</summary>
    public string Clouds { get; }

    /// <summary>None for a core rule.</summary>
    public string Feature { get; }

    /// <summary>The rule's destinations as the catalog writes them ({location} is the cluster's region).</summary>
    public string Destination { get; }
    public string Amendment { get; }
    public string Summary { get; }
    public string Source { get; }
    public string? SourceUrl { get; }

    public override string ToString() => $"{Date:yyyy-MM-dd} {(Change == "Added" ? "+" : "-")} {Rule}: {Destination}";

    /// <summary>The changes of a catalog's rules, in order of date (then as the catalog lists the rules).</summary>
    internal static IReadOnlyList<CatalogChange> Of(IEnumerable<CatalogRule> rules) =>
        rules.SelectMany(r => new[] { (r, r.IntroducedBy, true), (r, r.RetiredBy, false) })
            .Where(x => x.Item2 is not null)
            .Select(x => new CatalogChange(x.Item1, x.Item2!, x.Item3))
            .OrderBy(c => c.Date)
            .ToList();
}

using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.Firewall.Coverage;

/// <summary>Destinations that only obsolete rules ask for: the 2019 edition and rules retired by a dated amendment.</summary>
public static class StaleDestinations
{
    public static ISet<string> For(RuleCatalog catalog, AksCloud cloud, string location, DateTime asOf)
    {
        var features = Enum.GetValues(typeof(AksFeature)).Cast<AksFeature>().ToArray();
        IEnumerable<AksEgressRule> Rules(CatalogEdition edition, DateTime date, MonitorAccess access) => RequirementEngine.Query(catalog, new RequirementQuery
        {
            Cloud = cloud, Location = location, Edition = edition, AsOf = date, IncludeOptional = true, Features = features, AzureMonitorAccess = access,
        }).Rules;

        var retiredIds = catalog.Rules.Where(r => r.RetiredBy is { } a && a.Date <= asOf).ToLookup(r => r.RetiredBy!);
        var obsolete = Rules(CatalogEdition.Legacy2019, asOf, MonitorAccess.Fqdn)
            .Concat(retiredIds.SelectMany(a => Rules(CatalogEdition.Current, a.Key.Date.AddDays(-1), MonitorAccess.Fqdn).Where(r => a.Any(c => c.Id == r.Id))))
            .Select(r => r.Destination);
        var current = Rules(CatalogEdition.Current, asOf, MonitorAccess.Fqdn).Concat(Rules(CatalogEdition.Current, asOf, MonitorAccess.ServiceTag)).Select(r => r.Destination);
        var stale = new HashSet<string>(obsolete, StringComparer.OrdinalIgnoreCase);
        stale.ExceptWith(current);
        stale.Remove("*"); // a rule to any destination is over-broad, not stale
        return stale;
    }
}

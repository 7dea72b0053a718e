using System.Net;
using AksEgress.Catalog;

namespace AksEgress.Requirements;

/// <summary>Answers a <see cref="RequirementQuery"/> from a catalog. Pure: the same inputs give the same rules.</summary>
public static class RequirementEngine
{
    public static RequirementResult Query(RuleCatalog catalog, RequirementQuery query)
    {
        var location = LocationResolver.Resolve(catalog, query.Cloud, query.Location);
        var features = new HashSet<AksFeature>(query.Features.Where(f => f is not AksFeature.None));
        var rules = new List<AksEgressRule>();
        var omissions = new List<RuleOmission>();
        var warnings = new List<string>();

        var candidates = catalog.Rules.Where(r => r.Edition == query.Edition && r.AppliesTo(query.Cloud) && r.IsActiveOn(query.AsOf)).ToList();
        foreach (var rule in candidates)
        {
            if ((rule.Feature is not AksFeature.None && !features.Contains(rule.Feature)) || !query.Wants(rule.Category))
            {
                continue;
            }

            if (rule.Access is { } access && access != query.AzureMonitorAccess)
            {
                omissions.Add(new(rule.Id, $"Azure Monitor is reached by {query.AzureMonitorAccess}, not {access} (-AzureMonitorAccess)."));
                continue;
            }

            if (query.NetworkIsolated && rule.Feature is AksFeature.None)
            {
                omissions.Add(new(rule.Id, "Not needed: the cluster is network isolated (-NetworkIsolated); it pulls its images through its private ACR cache, not from the internet."));
                continue;
            }

            var excludedBy = rule.NotWhen.Where(c => c switch
            {
                ClusterCondition.PrivateCluster => query.PrivateCluster,
                ClusterCondition.Konnectivity => query.Konnectivity,
                _ => false,
            }).ToList();
            if (excludedBy.Count > 0)
            {
                omissions.Add(new(rule.Id, $"Not needed: the cluster is {string.Join(" and ", excludedBy.Select(Describe))}."));
                continue;
            }

            var resolved = rule.Destinations.Select(d => Resolve(d, location, query)).ToList();
            var chosen = resolved.FindIndex(r => r.Count > 0);
            if (chosen < 0)
            {
                omissions.Add(new(rule.Id, MissingInput(rule)));
                continue;
            }

            var alternatives = resolved.Where((_, i) => i != chosen).SelectMany(r => r).Select(d => d.Value).ToList();
            foreach (var destination in resolved[chosen])
            {
                rules.Add(ToRule(catalog, rule, query.Cloud, location, destination, alternatives));
            }
        }

        foreach (var feature in features.Where(f => !candidates.Any(r => r.Feature == f)))
        {
            // The core rules cover what the source does not list, except for a network isolated cluster, which has none.
            warnings.Add($"The source documents no egress rules for {feature} in {query.Cloud}; " + (query.NetworkIsolated
                ? "a network isolated cluster has no core rules to cover it: reach it through a private endpoint or allow what it needs."
                : "it says add-ons it does not list are covered by the core rules."));
        }

        return new RequirementResult(location, rules, omissions, warnings);
    }

    private static string Describe(ClusterCondition condition) => condition switch
    {
        ClusterCondition.PrivateCluster => "private (-PrivateCluster)",
        ClusterCondition.Konnectivity => "using konnectivity (-Konnectivity)",
        _ => condition.ToString(),
    };

    private static string MissingInput(CatalogRule rule) =>
        rule.Destinations.Any(d => d.Value.Contains("{dnsServer}"))
            ? "Only with custom DNS servers: give them with -DnsServer."
            : $"Needs the API server address (-ApiServerAddress): {rule.Protocol} {rule.Port} to the API server.";

    /// <summary>Substitutes placeholders; a placeholder without a value gives no destination, {dnsServer} gives one per server.</summary>
    private static List<DestinationCandidate> Resolve(DestinationCandidate candidate, string location, RequirementQuery query)
    {
        var value = candidate.Value;
        if (value.Contains("{dnsServer}"))
        {
            return query.DnsServers.Select(ip => candidate with { Value = value.Replace("{dnsServer}", ip.ToString()) }).ToList();
        }

        if (value.Contains("{apiServerAddress}"))
        {
            if (query.ApiServerAddress is not IPAddress api)
            {
                return [];
            }

            value = value.Replace("{apiServerAddress}", api.ToString());
        }

        return [candidate with { Value = value.Replace("{location}", location) }];
    }

    private static AksEgressRule ToRule(RuleCatalog catalog, CatalogRule rule, AksCloud cloud, string location, DestinationCandidate destination, List<string> alternatives) => new()
    {
        Id = rule.Id,
        CloudValue = cloud,
        Location = location,
        CategoryValue = rule.Category,
        FeatureValue = rule.Feature,
        KindValue = rule.Kind,
        ProtocolValue = rule.Protocol,
        Port = rule.Port,
        Destination = destination.Value,
        DestinationTypeValue = destination.Type,
        Alternatives = alternatives,
        Required = rule.Category is RuleCategory.Required or RuleCategory.Feature,
        Use = rule.Use,
        Condition = rule.Condition,
        Note = rule.Note,
        Correction = rule.Correction,
        Source = string.Join("; ", rule.Sources),
        SourceUrl = rule.Sources[0].Document.Url,
        PageUrl = PageUrl(rule.Sources[0]),
        EditionValue = rule.Edition,
        Amendment = rule.IntroducedBy?.Id,
        AmendedOn = rule.IntroducedBy?.Date,
        CatalogVersion = catalog.Version,
    };

    /// <summary>
    /// The learn.microsoft.com page of a rule from the egress document (a revision on GitHub, or seed 003), with the anchor
    /// learn gives the section's heading (lower case, punctuation dropped, spaces as hyphens); null for other sources.
    /// </summary>
    private static string? PageUrl(SourceReference source)
    {
        if (source.Document.Url?.IndexOf("MicrosoftDocs/azure-aks-docs", StringComparison.OrdinalIgnoreCase) is not >= 0)
        {
            return null;
        }

        var heading = source.Section.Split(new[] { " > " }, StringSplitOptions.None).Last();
        var anchor = System.Text.RegularExpressions.Regex.Replace(heading.ToLowerInvariant(), "[^a-z0-9 -]", "").Replace(' ', '-');
        return $"{Catalog.Import.EgressDocument.PageUrl}#{anchor}";
    }
}

using AksEgress.Catalog;

namespace AksEgress.Firewall.Coverage;

/// <summary>
/// Answers, for each requirement, what Azure Firewall does with it under a policy: network rules of every group first,
/// then application rules (for HTTP and HTTPS), each in order of group priority then collection priority; the first
/// collection with a matching rule decides (Allow or Deny), and nothing matching means denied. DNAT rules do not apply
/// to outbound traffic.
/// </summary>
public static class FirewallCoverageAnalyzer
{
    public static IReadOnlyList<RequirementCoverage> Analyze(
        IReadOnlyList<FirewallRuleCollectionGroup> groups, IEnumerable<AksEgressRule> requirements, IReadOnlyList<string> clusterSources, bool? dnsProxyEnabled,
        IReadOnlyList<string>? clusterIpGroups = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? knownIpGroups = null, string? missingParent = null)
    {
        var ipGroups = clusterIpGroups ?? [];
        // A parent policy's groups before the child's, whatever the priorities; then group, then collection priority.
        var ordered = groups.OrderByDescending(g => g.InheritanceLevel).ThenBy(g => g.Priority)
            .SelectMany(g => g.RuleCollections.Where(c => c.RuleCollectionType == "FirewallPolicyFilterRuleCollection").OrderBy(c => c.Priority).Select(c => (Group: g, Collection: c)))
            .ToList();
        var network = ordered.Where(x => x.Collection.Rules.Any(r => r.RuleType is FirewallRuleType.NetworkRule)).ToList();
        var application = ordered.Where(x => x.Collection.Rules.Any(r => r.RuleType is FirewallRuleType.ApplicationRule)).ToList();

        return requirements.Select(requirement =>
        {
            if (missingParent is not null)
            {
                // The parent's rules are processed first: without them any verdict could be wrong, so none is given.
                return new RequirementCoverage { Requirement = requirement, StatusValue = CoverageStatus.Unknown, Note = $"The parent policy {missingParent} (basePolicy) is not available: its rules come first." };
            }

            var protocol = requirement.ProtocolValue is RuleProtocol.Udp ? "UDP" : "TCP";
            var decision = First(network, rule => rule.RuleType is FirewallRuleType.NetworkRule && FirewallRuleMatcher.NetworkRuleMatches(rule, protocol, requirement.Port, requirement, knownIpGroups), clusterSources, ipGroups, knownIpGroups);
            if (decision is null && requirement.KindValue is RuleKind.Application)
            {
                decision = First(application, rule => rule.RuleType is FirewallRuleType.ApplicationRule && FirewallRuleMatcher.ApplicationRuleMatches(rule, requirement, CoveredByAksTag), clusterSources, ipGroups, knownIpGroups);
            }

            if (decision is not { } d)
            {
                return new RequirementCoverage { Requirement = requirement, StatusValue = CoverageStatus.Missing, Note = "No rule matches: Azure Firewall denies it." };
            }

            var notes = new List<string>();
            if (d.ViaIpGroup)
            {
                notes.Add("the source matched through an IP group, whose addresses were not checked");
            }

            if (d.Allow && d.Rule.DestinationFqdns.Any(f => f.Equals(requirement.Destination, StringComparison.OrdinalIgnoreCase)) && dnsProxyEnabled == false)
            {
                notes.Add("an FQDN in a network rule needs DNS proxy, which is off: the rule does not match in practice");
            }

            return new RequirementCoverage
            {
                Requirement = requirement,
                StatusValue = !d.Allow ? CoverageStatus.Denied : notes.Any(n => n.StartsWith("an FQDN", StringComparison.Ordinal)) ? CoverageStatus.Missing : CoverageStatus.Allowed,
                RuleCollectionGroup = d.Group, RuleCollection = d.Collection, Rule = d.Rule.Name,
                Note = notes.Count == 0 ? null : string.Join("; ", notes),
            };
        }).ToList();
    }

    /// <summary>The required core FQDNs of the cloud are what the AzureKubernetesService FQDN tag stands for.</summary>
    private static bool CoveredByAksTag(AksEgressRule rule) =>
        rule.KindValue is RuleKind.Application && rule.CategoryValue is RuleCategory.Required && rule.FeatureValue is AksFeature.None;

    private static (string Group, string Collection, FirewallPolicyRule Rule, bool Allow, bool ViaIpGroup)? First(
        List<(FirewallRuleCollectionGroup Group, FirewallRuleCollection Collection)> collections, Func<FirewallPolicyRule, bool> matches, IReadOnlyList<string> sources, IReadOnlyList<string> ipGroups,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? knownIpGroups)
    {
        foreach (var (group, collection) in collections)
        {
            foreach (var rule in collection.Rules)
            {
                if (matches(rule) && FirewallRuleMatcher.SourceMatches(rule, sources, ipGroups, knownIpGroups, out var viaIpGroup))
                {
                    return (group.Name, collection.Name, rule, collection.Action.Equals("Allow", StringComparison.OrdinalIgnoreCase), viaIpGroup);
                }
            }
        }

        return null;
    }
}

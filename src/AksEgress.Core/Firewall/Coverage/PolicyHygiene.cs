namespace AksEgress.Firewall.Coverage;

/// <summary>
/// Rules worth removing or narrowing: rules whose every destination is one only the obsolete 2019 edition asked for,
/// and rules open to any destination on web ports (or every port) or to any source.
/// </summary>
public static class PolicyHygiene
{
    private static readonly int[] WebPorts = [80, 443];

    /// <param name="obsolete">Destinations of the 2019 edition that no current requirement (all features, optional rules) needs.</param>
    public static IEnumerable<PolicyHygieneFinding> Check(IReadOnlyList<FirewallRuleCollectionGroup> groups, ISet<string> obsolete)
    {
        foreach (var group in groups)
        {
            foreach (var collection in group.RuleCollections.Where(c => c.Action.Equals("Allow", StringComparison.OrdinalIgnoreCase)))
            {
                foreach (var rule in collection.Rules)
                {
                    var destinations = rule.TargetFqdns.Concat(rule.DestinationFqdns).ToList();
                    var stale = destinations.Where(obsolete.Contains).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                    if (stale.Count > 0 && stale.Count == destinations.Count && rule.DestinationAddresses.Count == 0 && rule.FqdnTags.Count == 0)
                    {
                        yield return new(DiagnosticRules.StaleRule, PolicyHygieneKind.Stale, group.Name, collection.Name, rule.Name,
                            $"Allows only destinations of the obsolete 2019 AKS egress rules or of rules retired since ({string.Join(", ", destinations)}); no current requirement needs them. Safe to remove.");
                    }
                    else
                    {
                        // A rule of the old procedure lists many FQDNs, current and obsolete: each obsolete one is named.
                        foreach (var destination in stale)
                        {
                            yield return new(DiagnosticRules.StaleDestination, PolicyHygieneKind.Stale, group.Name, collection.Name, rule.Name,
                                $"Allows {destination}, which only the obsolete 2019 AKS egress rules or a rule retired since need; remove it from this rule (its other destinations are still needed).")
                            { Destination = destination };
                        }
                    }

                    var anyDestination = rule.DestinationAddresses.Contains("*") || rule.TargetFqdns.Contains("*");
                    var ports = rule.RuleType is FirewallRuleType.NetworkRule ? rule.DestinationPorts : rule.Protocols.Select(p => p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
                    if (anyDestination && ports.Any(p => p == "*" || WebPorts.Any(w => FirewallRuleMatcher.PortInRange(p, w))))
                    {
                        yield return new(DiagnosticRules.AnyDestination, PolicyHygieneKind.OverBroad, group.Name, collection.Name, rule.Name,
                            $"Allows any destination on {string.Join(", ", ports)}: it lets traffic leave to anywhere on the web. Allow the FQDNs that are needed instead.");
                    }

                    if (rule.SourceAddresses.Contains("*"))
                    {
                        yield return new(DiagnosticRules.AnySource, PolicyHygieneKind.OverBroad, group.Name, collection.Name, rule.Name,
                            "Allows traffic from any source ('*'): restrict it to the cluster's subnet or an IP group.");
                    }
                }
            }
        }
    }
}

namespace AksEgress.Firewall;

/// <summary>
/// What separates the group in the policy from the desired one, compared order-insensitively: the order of rules,
/// of list items and the case of protocols and FQDNs mean nothing to Azure Firewall, so they never cause a write.
/// </summary>
public sealed record RuleCollectionGroupDiff(bool Exists, IReadOnlyList<RuleChange> RuleChanges, IReadOnlyList<string> GroupChanges)
{
    public bool InSync => Exists && RuleChanges.Count == 0 && GroupChanges.Count == 0;

    public static RuleCollectionGroupDiff Compare(FirewallRuleCollectionGroup desired, FirewallRuleCollectionGroup? current)
    {
        if (current is null)
        {
            return new(false, desired.RuleCollections.SelectMany(c => c.Rules.Select(r => new RuleChange(RuleChangeKind.Added, c.Name, r.Name, null, r.Summary))).ToList(), ["create the group"]);
        }

        var groupChanges = new List<string>();
        if (desired.Priority != current.Priority)
        {
            groupChanges.Add($"priority {current.Priority} => {desired.Priority}");
        }

        var changes = new List<RuleChange>();
        var currentCollections = current.RuleCollections.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var want in desired.RuleCollections)
        {
            if (!currentCollections.TryGetValue(want.Name, out var have))
            {
                groupChanges.Add($"add collection {want.Name}");
                changes.AddRange(want.Rules.Select(r => new RuleChange(RuleChangeKind.Added, want.Name, r.Name, null, r.Summary)));
                continue;
            }

            if (have.Priority != want.Priority || !string.Equals(have.Action, want.Action, StringComparison.OrdinalIgnoreCase)
                || have.RuleCollectionType != want.RuleCollectionType)
            {
                groupChanges.Add($"collection {want.Name}: {have.RuleCollectionType} {have.Action} {have.Priority} => {want.RuleCollectionType} {want.Action} {want.Priority}");
            }

            var haveRules = have.Rules.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var rule in want.Rules)
            {
                if (!haveRules.TryGetValue(rule.Name, out var old))
                {
                    changes.Add(new(RuleChangeKind.Added, want.Name, rule.Name, null, rule.Summary));
                }
                else if (Canonical(old) != Canonical(rule))
                {
                    changes.Add(new(RuleChangeKind.Changed, want.Name, rule.Name, old.Summary, rule.Summary));
                }
            }

            var wanted = new HashSet<string>(want.Rules.Select(r => r.Name), StringComparer.OrdinalIgnoreCase);
            changes.AddRange(have.Rules.Where(r => !wanted.Contains(r.Name)).Select(r => new RuleChange(RuleChangeKind.Removed, have.Name, r.Name, r.Summary, null)));
        }

        var desiredNames = new HashSet<string>(desired.RuleCollections.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var extra in current.RuleCollections.Where(c => !desiredNames.Contains(c.Name)))
        {
            groupChanges.Add($"remove collection {extra.Name}");
            changes.AddRange(extra.Rules.Select(r => new RuleChange(RuleChangeKind.Removed, extra.Name, r.Name, r.Summary, null)));
        }

        return new(true, changes, groupChanges);
    }

    /// <summary>A rule's content with every list sorted and case-folded where Azure Firewall ignores case.</summary>
    internal static string Canonical(FirewallPolicyRule rule)
    {
        static string Set(IEnumerable<string> values) => string.Join(",", values.Select(v => v.ToLowerInvariant()).Distinct().OrderBy(v => v, StringComparer.Ordinal));
        return string.Join("|",
            rule.RuleType, rule.Description ?? "", Set(rule.IpProtocols), Set(rule.SourceAddresses), Set(rule.SourceIpGroups),
            Set(rule.DestinationAddresses), Set(rule.DestinationFqdns), Set(rule.DestinationIpGroups), Set(rule.DestinationPorts),
            Set(rule.Protocols.Select(p => p.ToString())), Set(rule.TargetFqdns), Set(rule.FqdnTags));
    }
}

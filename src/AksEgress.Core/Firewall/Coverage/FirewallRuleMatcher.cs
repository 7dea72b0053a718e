using System.Globalization;
using System.Net;
using AksEgress.Catalog;

namespace AksEgress.Firewall.Coverage;

/// <summary>Whether one Azure Firewall rule matches one requirement: protocol, port, destination and source.</summary>
internal static class FirewallRuleMatcher
{
    /// <summary>A network rule: protocol, port, and a destination address, FQDN, or address of a destination IP group whose addresses are known.</summary>
    public static bool NetworkRuleMatches(FirewallPolicyRule rule, string protocol, int port, AksEgressRule requirement, IReadOnlyDictionary<string, IReadOnlyList<string>>? knownIpGroups) =>
        rule.IpProtocols.Any(p => p.Equals("Any", StringComparison.OrdinalIgnoreCase) || p.Equals(protocol, StringComparison.OrdinalIgnoreCase))
        && rule.DestinationPorts.Any(p => PortInRange(p, port))
        && (rule.DestinationAddresses.Concat(Resolve(rule.DestinationIpGroups, knownIpGroups)).Any(a => AddressCovers(a, requirement))
            || (requirement.DestinationTypeValue is DestinationType.Fqdn && rule.DestinationFqdns.Any(f => f.Equals(requirement.Destination, StringComparison.OrdinalIgnoreCase))));

    /// <summary>The addresses of the IP groups named (by id, or a template expression ending in the name) that are known; unknown ones add none.</summary>
    private static IEnumerable<string> Resolve(IReadOnlyList<string> ipGroups, IReadOnlyDictionary<string, IReadOnlyList<string>>? known) =>
        known is null ? [] : ipGroups.SelectMany(g => known.TryGetValue(g.TrimEnd('/', ']', ')', '\'').Split('/', '\'', ',').Last().Trim(), out var addresses) ? addresses : []);

    public static bool ApplicationRuleMatches(FirewallPolicyRule rule, AksEgressRule requirement, Func<AksEgressRule, bool> coveredByAksTag) =>
        rule.Protocols.Any(p => p.ProtocolType.Equals(requirement.Protocol.ToString(), StringComparison.OrdinalIgnoreCase) && p.Port == requirement.Port)
        && (rule.TargetFqdns.Any(t => FqdnCovers(t, requirement.Destination))
            || rule.FqdnTags.Any(t => t.Equals(RuleCollectionGroupBuilder.FqdnTag, StringComparison.OrdinalIgnoreCase) && coveredByAksTag(requirement)));

    /// <summary>
    /// The rule's sources include the cluster's: '*', a block or range containing every cluster address, one of the
    /// cluster's IP groups by id, or an IP group whose addresses are known (<paramref name="knownIpGroups"/>, by name)
    /// and contain them. An IP group whose addresses are not known never counts. Without any knowledge of IP groups
    /// (the live read does not fetch them yet) such a rule still counts, flagged <paramref name="viaIpGroup"/>.
    /// Nothing to check when the cluster's sources are not given.
    /// </summary>
    public static bool SourceMatches(FirewallPolicyRule rule, IReadOnlyList<string> clusterSources, IReadOnlyList<string> clusterIpGroups,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? knownIpGroups, out bool viaIpGroup)
    {
        viaIpGroup = false;
        if ((clusterSources.Count == 0 && clusterIpGroups.Count == 0) || rule.SourceAddresses.Any(s => s == "*"))
        {
            return true;
        }

        if (clusterIpGroups.Any(g => rule.SourceIpGroups.Any(r => r.Equals(g, StringComparison.OrdinalIgnoreCase))))
        {
            return true;
        }

        var sources = rule.SourceAddresses.Concat(Resolve(rule.SourceIpGroups, knownIpGroups)).ToList();
        if (clusterSources.Count > 0 && clusterSources.All(c => sources.Any(s => SourceCovers(s, c))))
        {
            return true;
        }

        viaIpGroup = knownIpGroups is null && rule.SourceIpGroups.Count > 0;
        return viaIpGroup;
    }

    /// <summary>
    /// "*", a single port, or a range "8000-9000", as Azure Firewall takes them: ports 1 to 65535 and a range low to high.
    /// Anything else ("0-70000", "1-2-65535", "80-") matches nothing: Azure Firewall would refuse the rule, so it allows nothing.
    /// </summary>
    internal static bool PortInRange(string spec, int port)
    {
        if (spec == "*")
        {
            return true;
        }

        var parts = spec.Split('-');
        return parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
            && int.TryParse(parts[parts.Length - 1], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
            && low is >= 1 and <= 65535 && high is >= 1 and <= 65535 && low <= high
            && port >= low && port <= high;
    }

    /// <summary>A destination address entry: '*', a service tag (or its regionless parent), an address, a CIDR block or a range.</summary>
    private static bool AddressCovers(string address, AksEgressRule requirement)
    {
        if (address == "*")
        {
            return true;
        }

        return requirement.DestinationTypeValue switch
        {
            DestinationType.ServiceTag => address.Equals(requirement.Destination, StringComparison.OrdinalIgnoreCase)
                || (requirement.Destination.Contains('.') && address.Equals(requirement.Destination.Substring(0, requirement.Destination.IndexOf('.')), StringComparison.OrdinalIgnoreCase)),
            DestinationType.IpAddress => IPAddress.TryParse(requirement.Destination, out var ip) && AddressContains(address, ip),
            _ => false,
        };
    }

    private static bool AddressContains(string entry, IPAddress ip)
    {
        if (entry.Contains('/'))
        {
            return IpNetwork.Parse(entry) is { } block && block.Contains(ip);
        }

        var dash = entry.IndexOf('-');
        if (dash > 0 && IPAddress.TryParse(entry.Substring(0, dash), out var from) && IPAddress.TryParse(entry.Substring(dash + 1), out var to))
        {
            var value = ip.GetAddressBytes();
            return Compare(from.GetAddressBytes(), value) <= 0 && Compare(value, to.GetAddressBytes()) <= 0;
        }

        return IPAddress.TryParse(entry, out var single) && single.Equals(ip);
    }

    private static int Compare(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return a.Length.CompareTo(b.Length);
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return a[i].CompareTo(b[i]);
            }
        }

        return 0;
    }

    /// <summary>A source entry covers a cluster source (an address, block or range) when it contains all of it.</summary>
    private static bool SourceCovers(string entry, string clusterSource)
    {
        if (entry.Equals(clusterSource, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (IpNetwork.Parse(entry) is not { } block)
        {
            return false;
        }

        if (IpNetwork.Parse(clusterSource) is { } inner)
        {
            return inner.PrefixLength >= block.PrefixLength && block.Contains(inner.Address);
        }

        return IPAddress.TryParse(clusterSource, out var ip) && block.Contains(ip);
    }

    /// <summary>
    /// Azure Firewall FQDN matching: '*' matches every name; "*.example.com" matches names under example.com (at any
    /// depth) and wildcard requirements under it; anything else matches the same name, ignoring case.
    /// </summary>
    internal static bool FqdnCovers(string target, string requirement)
    {
        if (target == "*" || target.Equals(requirement, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!target.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = target.Substring(1); // ".example.com"
        var name = requirement.StartsWith("*.", StringComparison.Ordinal) ? requirement.Substring(1) : "." + requirement;
        return name.Length > suffix.Length ? name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) : false;
    }
}

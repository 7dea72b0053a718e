using System.Globalization;
using System.Text.RegularExpressions;
using AksEgress.Catalog;

namespace AksEgress.Firewall;

/// <summary>
/// Turns requirements into the rule collection group this module owns: one network and one application filter
/// collection, one firewall rule per catalog rule id, named by that id so a plan reads like the requirements.
/// </summary>
public static class RuleCollectionGroupBuilder
{
    public const string NetworkCollectionName = "aks-egress-network";
    public const string ApplicationCollectionName = "aks-egress-application";
    public const string FqdnTagRuleName = "aks-fqdn-tag";
    public const string FqdnTag = "AzureKubernetesService";

    /// <summary>Every rule the module writes starts its description with this; it is how a group is known to be ours.</summary>
    public const string DescriptionPrefix = "AksEgress: ";

    // Microsoft.Network names: 1-80 characters, alphanumerics, '_', '.', '-'; start alphanumeric, end alphanumeric or '_'.
    private static readonly Regex NamePattern = new(@"^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$", RegexOptions.CultureInvariant);
    private static readonly Regex IpGroupIdPattern = new(
        @"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/Microsoft\.Network/ipGroups/[^/]+$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>ARM's limit for application rule ports (FirewallPolicyRuleApplicationProtocol.port).</summary>
    public const int MaxApplicationPort = 64000;

    public static FirewallRuleCollectionGroup Build(IEnumerable<AksEgressRule> requirements, FirewallPlanOptions options)
    {
        ValidateOptions(options);
        var rules = requirements.ToList();
        if (rules.Count == 0)
        {
            throw new FirewallPlanException("EmptyRuleSet", "There are no rules to write: pipe the output of Get-AksEgressRequirement (is every rule filtered out?).");
        }

        if (rules.FirstOrDefault(r => r.EditionValue is not CatalogEdition.Current) is { } obsolete)
        {
            throw new FirewallPlanException("ObsoleteRule", $"Rule {obsolete.Id} belongs to the obsolete {obsolete.Edition} edition and is never a requirement; query the Current edition.", obsolete);
        }

        if (rules.FirstOrDefault(r => r.KindValue is RuleKind.Application && r.Port > MaxApplicationPort) is { } highPort)
        {
            throw new FirewallPlanException("RulePortOutOfRange", $"Rule {highPort.Id} uses port {highPort.Port}; Azure Firewall application rules take ports 0 to {MaxApplicationPort}.", highPort);
        }

        // The same destination asked for twice (Defender and Azure Monitor both need *.ods.opinsights.azure.com) is written once.
        var distinct = rules
            .GroupBy(r => (r.Kind, r.Protocol, r.Port, Destination: r.Destination.ToLowerInvariant()))
            .Select(g => g.First())
            .ToList();
        var coveredByTag = options.UseFqdnTag ? distinct.Where(IsCoveredByFqdnTag).ToList() : [];

        var network = distinct.Where(r => r.KindValue is RuleKind.Network)
            .GroupBy(r => (r.Id, IsFqdn: r.DestinationTypeValue is DestinationType.Fqdn))
            .Select(g => ToNetworkRule(g.Key.Id, g.Key.IsFqdn, g.ToList(), options, distinct))
            .ToList();
        var application = distinct.Where(r => r.KindValue is RuleKind.Application && !coveredByTag.Contains(r))
            .GroupBy(r => r.Id)
            .Select(g => ToApplicationRule(g.Key, g.ToList(), options))
            .ToList();
        if (coveredByTag.Count > 0)
        {
            application.Insert(0, new FirewallPolicyRule
            {
                Name = FqdnTagRuleName,
                Description = DescriptionPrefix + $"The {FqdnTag} FQDN tag, in place of {coveredByTag.Count} required FQDN rules.",
                RuleType = FirewallRuleType.ApplicationRule,
                SourceAddresses = options.SourceAddresses,
                SourceIpGroups = options.SourceIpGroups,
                Protocols = [new("Http", 80), new("Https", 443)],
                FqdnTags = [FqdnTag],
            });
        }

        var collections = new List<FirewallRuleCollection>();
        if (network.Count > 0)
        {
            collections.Add(new(NetworkCollectionName, 100, "Allow", network));
        }

        if (application.Count > 0)
        {
            collections.Add(new(ApplicationCollectionName, 200, "Allow", application));
        }

        return new FirewallRuleCollectionGroup(options.GroupName, options.Priority, collections);
    }

    /// <summary>The tag covers the FQDNs a base cluster requires (seed 003's required FQDN rules and their amendments).</summary>
    private static bool IsCoveredByFqdnTag(AksEgressRule rule) =>
        rule.KindValue is RuleKind.Application && rule.CategoryValue is RuleCategory.Required && rule.FeatureValue is AksFeature.None;

    private static FirewallPolicyRule ToNetworkRule(string id, bool isFqdn, List<AksEgressRule> group, FirewallPlanOptions options, List<AksEgressRule> all)
    {
        var splitByType = all.Any(r => r.Id == id && r.KindValue is RuleKind.Network && (r.DestinationTypeValue is DestinationType.Fqdn) != isFqdn);
        var destinations = group.Select(r => r.DestinationTypeValue is DestinationType.Any ? "*" : r.Destination).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new FirewallPolicyRule
        {
            Name = isFqdn && splitByType ? id + "-fqdn" : id,
            Description = Describe(group[0]),
            RuleType = FirewallRuleType.NetworkRule,
            SourceAddresses = options.SourceAddresses,
            SourceIpGroups = options.SourceIpGroups,
            IpProtocols = group.Select(r => r.Protocol.ToString().ToUpperInvariant()).Distinct().ToList(),
            DestinationAddresses = isFqdn ? [] : destinations,
            DestinationFqdns = isFqdn ? destinations : [],
            DestinationPorts = group.Select(r => r.Port.ToString(CultureInfo.InvariantCulture)).Distinct().ToList(),
        };
    }

    private static FirewallPolicyRule ToApplicationRule(string id, List<AksEgressRule> group, FirewallPlanOptions options) => new()
    {
        Name = id,
        Description = Describe(group[0]),
        RuleType = FirewallRuleType.ApplicationRule,
        SourceAddresses = options.SourceAddresses,
        SourceIpGroups = options.SourceIpGroups,
        Protocols = group.Select(r => new ApplicationProtocol(r.Protocol.ToString(), r.Port)).Distinct().ToList(),
        TargetFqdns = group.Where(r => r.DestinationTypeValue is not DestinationType.FqdnTag).Select(r => r.Destination).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        FqdnTags = group.Where(r => r.DestinationTypeValue is DestinationType.FqdnTag).Select(r => r.Destination).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
    };

    private static string Describe(AksEgressRule rule) => DescriptionPrefix + rule.Use;

    private static void ValidateOptions(FirewallPlanOptions options)
    {
        if (!NamePattern.IsMatch(options.GroupName ?? ""))
        {
            throw new FirewallPlanException("InvalidGroupName", $"'{options.GroupName}' is not a valid rule collection group name: 1 to 80 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'.", options.GroupName);
        }

        if (options.Priority is < 100 or > 65000)
        {
            throw new FirewallPlanException("PriorityOutOfRange", $"Priority {options.Priority} is out of range; a rule collection group takes 100 to 65000.", options.Priority);
        }

        if (options.SourceAddresses.Count == 0 && options.SourceIpGroups.Count == 0)
        {
            throw new FirewallPlanException("NoSource", "Give the cluster's addresses with -SourceAddress (for example its subnet, 10.240.0.0/16) or -SourceIpGroupId: the module never writes rules open to every source.");
        }

        ValidateSources(options.SourceAddresses, options.SourceIpGroups);
    }

    /// <summary>Each source is an address, a CIDR block, a range or '*', and each IP group a well-formed resource id; FirewallPlanException otherwise.</summary>
    public static void ValidateSources(IReadOnlyList<string> addresses, IReadOnlyList<string> ipGroups)
    {
        foreach (var source in addresses)
        {
            if (!IsSourceAddress(source))
            {
                throw new FirewallPlanException("InvalidSourceAddress", $"'{source}' is not an IP address, a CIDR block (10.240.0.0/16) or an address range (10.240.0.4-10.240.0.10).", source);
            }
        }

        foreach (var id in ipGroups)
        {
            if (!IpGroupIdPattern.IsMatch(id ?? ""))
            {
                throw new FirewallPlanException("InvalidIpGroupId", $"'{id}' is not the resource id of an IP group: /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Network/ipGroups/<name>.", id);
            }
        }
    }

    /// <summary>An address, a CIDR block with a prefix in range, an a-b range, or an explicit '*'.</summary>
    internal static bool IsSourceAddress(string value)
    {
        if (value == "*")
        {
            return true;
        }

        var dash = value.IndexOf('-');
        if (dash > 0)
        {
            return IpNetwork.IsAddress(value.Substring(0, dash)) && IpNetwork.IsAddress(value.Substring(dash + 1));
        }

        return value.Contains('/') ? IpNetwork.Parse(value) is not null : IpNetwork.IsAddress(value);
    }
}

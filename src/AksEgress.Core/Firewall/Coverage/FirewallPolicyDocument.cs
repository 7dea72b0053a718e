using System.Text.Json;
using System.Text.Json.Nodes;

namespace AksEgress.Firewall.Coverage;

/// <summary>
/// A firewall policy read from a file: an ARM template or export (which may hold several policies, their parents and
/// IP groups), a list of rule collection groups (ARM's list answer, or az network firewall policy rule-collection-group
/// list), one rule collection group, or a firewall policy resource with its groups.
/// The groups come in Azure Firewall's order of processing: a parent policy's groups before the child's, whatever
/// their priorities (<see cref="FirewallRuleCollectionGroup.InheritanceLevel"/>).
/// </summary>
public sealed record FirewallPolicyDocument(IReadOnlyList<FirewallRuleCollectionGroup> Groups, bool? DnsProxyEnabled)
{
    private const string GroupType = "Microsoft.Network/firewallPolicies/ruleCollectionGroups";
    private const string PolicyType = "Microsoft.Network/firewallPolicies";
    private const string IpGroupType = "Microsoft.Network/ipGroups";
    private const string FirewallType = "Microsoft.Network/azureFirewalls";

    /// <summary>The policy the groups are of, when the file names one.</summary>
    public string? PolicyName { get; init; }

    /// <summary>The IP groups of the file: name (the last segment of its id) to its addresses.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> IpGroups { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A parent policy the file does not hold: its rules come first, so no verdict can be given (Unknown).</summary>
    public string? MissingParent { get; init; }

    /// <summary>The firewall keeps classic rules (applicationRuleCollections, networkRuleCollections) rather than a policy.</summary>
    public bool Classic { get; init; }

    /// <summary>The firewalls of the file that are checked: the one chosen, or those that use the chosen policy (for the egress path).</summary>
    public IReadOnlyList<FirewallAddress> Firewalls { get; init; } = [];

    /// <summary>What was read but does not apply to egress (NAT rule collections), for -Verbose.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>
    /// Reads the JSON; <paramref name="policyName"/> picks a policy when the file holds several. FirewallPlanException
    /// (InvalidPolicyFile, NotAFirewallPolicy, PolicyNotInFile, SeveralPolicies, BasePolicyCycle) naming what is wrong.
    /// </summary>
    public static FirewallPolicyDocument Parse(string json, string file, string? policyName = null)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new FirewallPlanException("InvalidPolicyFile", $"{file} is not valid JSON: {ex.Message}", file);
        }

        return Read(root, file, policyName);
    }

    /// <summary>As <see cref="Parse"/>, from JSON already read (a resource as ARM returns it, or any of the file's forms).</summary>
    public static FirewallPolicyDocument Read(JsonNode? root, string file, string? policyName = null)
    {
        var resources = root switch
        {
            JsonArray array => array.ToList(),
            JsonObject o when o["resources"] is JsonArray r => r.ToList(),
            JsonObject o when o["value"] is JsonArray v => v.ToList(),
            JsonObject o => [o],
            _ => [],
        };

        var policies = new List<(string Name, string? Parent, bool DnsProxy, List<FirewallRuleCollectionGroup> Groups)>();
        var classic = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ignored = new List<string>();
        var loose = new List<(string? Owner, FirewallRuleCollectionGroup Group)>();
        var ipGroups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var firewalls = new List<(string Name, string? Policy, JsonObject Resource)>();
        foreach (var (resource, index) in resources.Select((r, i) => (r as JsonObject, i)).Where(x => x.Item1 is not null))
        {
            try
            {
                var type = resource!["type"]?.GetValue<string>();
                if (string.Equals(type, PolicyType, StringComparison.OrdinalIgnoreCase))
                {
                    var name = LastSegment(resource["name"]?.GetValue<string>());
                    var groups = (resource["resources"] as JsonArray ?? []).OfType<JsonObject>().Select(child => ParseGroup(child, file)).ToList();
                    policies.Add((name, Reference(resource["properties"]?["basePolicy"]?["id"]?.GetValue<string>()),
                        resource["properties"]?["dnsSettings"]?["enableProxy"]?.GetValue<bool>() ?? false, groups));
                }
                else if (string.Equals(type, FirewallType, StringComparison.OrdinalIgnoreCase))
                {
                    // A firewall with classic rules is read as a policy of one group; one that uses a policy is that policy.
                    var name = LastSegment(resource["name"]?.GetValue<string>());
                    var properties = resource["properties"];
                    var usesPolicy = Reference(properties?["firewallPolicy"]?["id"]?.GetValue<string>());
                    firewalls.Add((name, usesPolicy, resource));
                    if (usesPolicy is not null)
                    {
                        policies.Add((name, usesPolicy, false, []));
                        continue;
                    }

                    var proxy = properties?["additionalProperties"]?["Network.DNS.EnableProxy"]?.GetValue<string>();
                    policies.Add((name, null, string.Equals(proxy, "true", StringComparison.OrdinalIgnoreCase), [ClassicGroup(name, properties, ignored)]));
                    classic.Add(name);
                }
                else if (string.Equals(type, IpGroupType, StringComparison.OrdinalIgnoreCase))
                {
                    ipGroups[LastSegment(resource["name"]?.GetValue<string>())] = (resource["properties"]?["ipAddresses"] as JsonArray ?? [])
                        .Where(a => a is not null).Select(a => a!.GetValue<string>()).ToList();
                }
                else if (string.Equals(type, GroupType, StringComparison.OrdinalIgnoreCase) || (type is null && resource["properties"]?["ruleCollections"] is not null))
                {
                    // "fp-hub/aks-egress" names its policy; an id names it before /ruleCollectionGroups/.
                    var rawName = resource["name"]?.GetValue<string>() ?? "";
                    var id = resource["id"]?.GetValue<string>();
                    var owner = id is not null && id.IndexOf("/ruleCollectionGroups/", StringComparison.OrdinalIgnoreCase) is > 0 and var at ? LastSegment(id.Substring(0, at))
                        : !rawName.StartsWith("[", StringComparison.Ordinal) && rawName.Contains('/') ? rawName.Split('/')[0] : null;
                    loose.Add((owner, ParseGroup(resource, file)));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                // A field of the wrong type ("type": 5): said with where it is, never a raw exception.
                throw new FirewallPlanException("InvalidPolicyFile", $"{file}: resource {index} ({resource!.GetPath()}) has a field of the wrong type: {ex.Message}", file);
            }
        }

        if (policies.Count == 0)
        {
            if (loose.Count == 0)
            {
                throw new FirewallPlanException("NotAFirewallPolicy", $"{file} holds no rule collection group ({GroupType}): give an ARM template, ARM's list of rule collection groups, or one group.", file);
            }

            return new FirewallPolicyDocument(loose.Select(l => l.Group).ToList(), null) { IpGroups = ipGroups };
        }

        // Loose groups belong to the policy they name, or to the only policy of the file.
        foreach (var (owner, group) in loose)
        {
            var policy = owner is null ? (policies.Count == 1 ? policies[0] : default) : policies.FirstOrDefault(p => p.Name.Equals(owner, StringComparison.OrdinalIgnoreCase));
            policy.Groups?.Add(group);
        }

        var names = string.Join(", ", policies.Select(p => p.Name));
        var chosen = policyName is not null
            ? policies.FirstOrDefault(p => p.Name.Equals(policyName, StringComparison.OrdinalIgnoreCase)) is { Name: not null } found ? found
                : throw new FirewallPlanException("PolicyNotInFile", $"{file} holds no firewall policy named '{policyName}'; it holds: {names}.", policyName)
            : policies.Count == 1 ? policies[0]
                : throw new FirewallPlanException("SeveralPolicies", $"{file} holds several firewall policies ({names}): name the one to check with -Name.", file);

        // The parent chain: a parent's groups are processed before its child's, whatever their priorities.
        var ordered = new List<FirewallRuleCollectionGroup>(chosen.Groups);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { chosen.Name };
        string? missing = null;
        var level = 0;
        for (var parent = chosen.Parent; parent is not null;)
        {
            if (!seen.Add(parent))
            {
                throw new FirewallPlanException("BasePolicyCycle", $"{file}: the basePolicy chain of {chosen.Name} comes back to {parent}; Azure would not accept it.", file);
            }

            level++;
            var entry = policies.FirstOrDefault(p => p.Name.Equals(parent, StringComparison.OrdinalIgnoreCase));
            if (entry.Name is null)
            {
                missing = parent;
                break;
            }

            var parentLevel = level;
            ordered.AddRange(entry.Groups.Select(g => g with { Name = $"{entry.Name}/{g.Name}", InheritanceLevel = parentLevel }));
            parent = entry.Parent;
        }

        // A firewall that uses a policy has that policy's DNS proxy setting (unknown when the file does not hold the policy).
        var usedBy = firewalls.FirstOrDefault(f => f.Name.Equals(chosen.Name, StringComparison.OrdinalIgnoreCase));
        bool? dnsProxy = usedBy.Policy is { } used
            ? policies.FirstOrDefault(p => p.Name.Equals(used, StringComparison.OrdinalIgnoreCase) && !firewalls.Any(f => f.Name.Equals(p.Name, StringComparison.OrdinalIgnoreCase))) is { Name: not null } usedPolicy ? usedPolicy.DnsProxy : null
            : chosen.DnsProxy;
        var checkedFirewalls = usedBy.Name is not null ? [usedBy] : firewalls.Where(f => string.Equals(f.Policy, chosen.Name, StringComparison.OrdinalIgnoreCase));
        return new FirewallPolicyDocument(ordered, dnsProxy)
        {
            PolicyName = chosen.Name, IpGroups = ipGroups, MissingParent = missing, Classic = classic.Contains(chosen.Name), Ignored = ignored,
            Firewalls = checkedFirewalls.SelectMany(f => FirewallAddress.Of(f.Resource, f.Name)).ToList(),
        };
    }

    /// <summary>
    /// Classic rules as one group: network rule collections and application rule collections are filter collections of
    /// their kind (the analyzer takes network rules before application rules, then collection priority, as Azure
    /// Firewall does for classic rules too). NAT rule collections are not egress: named in <paramref name="ignored"/>.
    /// </summary>
    private static FirewallRuleCollectionGroup ClassicGroup(string firewall, JsonNode? properties, List<string> ignored)
    {
        var collections = new List<FirewallRuleCollection>();
        foreach (var (field, kind) in new[] { ("networkRuleCollections", FirewallRuleType.NetworkRule), ("applicationRuleCollections", FirewallRuleType.ApplicationRule) })
        {
            foreach (var collection in (properties?[field] as JsonArray ?? []).OfType<JsonObject>())
            {
                var p = collection["properties"];
                collections.Add(new FirewallRuleCollection(
                    collection["name"]?.GetValue<string>() ?? "",
                    p?["priority"]?.GetValue<int>() ?? 0,
                    p?["action"]?["type"]?.GetValue<string>() ?? "",
                    (p?["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(r => ClassicRule(r, kind)).ToList()));
            }
        }

        foreach (var nat in (properties?["natRuleCollections"] as JsonArray ?? []).OfType<JsonObject>())
        {
            ignored.Add($"NAT rule collection {nat["name"]?.GetValue<string>()} of {firewall}: inbound, not egress.");
        }

        return new FirewallRuleCollectionGroup($"{firewall} (classic rules)", 0, collections);
    }

    private static FirewallPolicyRule ClassicRule(JsonObject rule, FirewallRuleType kind)
    {
        static List<string> Strings(JsonNode? node) => (node as JsonArray ?? []).Where(v => v is not null).Select(v => v!.GetValue<string>()).ToList();
        return kind is FirewallRuleType.NetworkRule
            ? new FirewallPolicyRule
            {
                Name = rule["name"]?.GetValue<string>() ?? "", RuleType = kind, IpProtocols = Strings(rule["protocols"]),
                SourceAddresses = Strings(rule["sourceAddresses"]), SourceIpGroups = Strings(rule["sourceIpGroups"]),
                DestinationAddresses = Strings(rule["destinationAddresses"]), DestinationFqdns = Strings(rule["destinationFqdns"]),
                DestinationIpGroups = Strings(rule["destinationIpGroups"]), DestinationPorts = Strings(rule["destinationPorts"]),
            }
            : new FirewallPolicyRule
            {
                Name = rule["name"]?.GetValue<string>() ?? "", RuleType = kind,
                Protocols = (rule["protocols"] as JsonArray ?? []).OfType<JsonObject>().Select(p => new ApplicationProtocol(p["protocolType"]?.GetValue<string>() ?? "", p["port"]?.GetValue<int>() ?? 0)).ToList(),
                SourceAddresses = Strings(rule["sourceAddresses"]), SourceIpGroups = Strings(rule["sourceIpGroups"]),
                TargetFqdns = Strings(rule["targetFqdns"]), FqdnTags = Strings(rule["fqdnTags"]),
            };
    }

    /// <summary>The name a resource id or an ARM template expression ends with: ".../firewallPolicies/fp-parent" or "[resourceId(..., 'fp-parent')]".</summary>
    private static string? Reference(string? idOrExpression) =>
        idOrExpression is null ? null : LastSegment(idOrExpression.TrimEnd(']', ')').Replace("'", "").Replace(" ", "").Split(',').Last());

    private static string LastSegment(string? value) => (value ?? "").TrimEnd('/').Split('/').Last();

    private static FirewallRuleCollectionGroup ParseGroup(JsonObject resource, string file)
    {
        try
        {
            var group = RuleCollectionGroupJson.Parse(resource);
            // Template names are "policy/group" or an expression ending in the group's name.
            var name = group.Name.TrimEnd(']', ')', '\'').Split('/', '\'').Last(s => s.Length > 0);
            return group with { Name = name };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new FirewallPlanException("InvalidPolicyFile", $"{file}: a rule collection group is not in the ARM format: {ex.Message}", file);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace AksEgress.Firewall.Coverage;

/// <summary>
/// A firewall policy read from a file: an ARM template (as exported from the portal or by Export-AksFirewallPolicy),
/// a list of rule collection groups (ARM's list answer, or az network firewall policy rule-collection-group list), one
/// rule collection group, or a firewall policy resource with its groups.
/// </summary>
public sealed record FirewallPolicyDocument(IReadOnlyList<FirewallRuleCollectionGroup> Groups, bool? DnsProxyEnabled)
{
    private const string GroupType = "Microsoft.Network/firewallPolicies/ruleCollectionGroups";
    private const string PolicyType = "Microsoft.Network/firewallPolicies";

    /// <summary>Reads the JSON; throws <see cref="FirewallPlanException"/> (InvalidPolicyFile, NotAFirewallPolicy) naming what is wrong.</summary>
    public static FirewallPolicyDocument Parse(string json, string file)
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

        var resources = root switch
        {
            JsonArray array => array.ToList(),
            JsonObject o when o["resources"] is JsonArray r => r.ToList(),
            JsonObject o when o["value"] is JsonArray v => v.ToList(),
            JsonObject o => [o],
            _ => [],
        };
        var groups = new List<FirewallRuleCollectionGroup>();
        bool? dnsProxy = null;
        foreach (var (resource, index) in resources.Select((r, i) => (r as JsonObject, i)).Where(x => x.Item1 is not null))
        {
            string? type;
            try
            {
                type = resource!["type"]?.GetValue<string>();
                if (string.Equals(type, PolicyType, StringComparison.OrdinalIgnoreCase))
                {
                    dnsProxy = resource["properties"]?["dnsSettings"]?["enableProxy"]?.GetValue<bool>() ?? false;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                // A field of the wrong type ("type": 5): said with where it is, never a raw exception.
                throw new FirewallPlanException("InvalidPolicyFile", $"{file}: resource {index} ({resource!.GetPath()}) has a field of the wrong type: {ex.Message}", file);
            }

            if (string.Equals(type, PolicyType, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var child in (resource!["resources"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    groups.Add(ParseGroup(child, file));
                }
            }
            else if (string.Equals(type, GroupType, StringComparison.OrdinalIgnoreCase) || (type is null && resource!["properties"]?["ruleCollections"] is not null))
            {
                groups.Add(ParseGroup(resource!, file));
            }
        }

        if (groups.Count == 0)
        {
            throw new FirewallPlanException("NotAFirewallPolicy", $"{file} holds no rule collection group ({GroupType}): give an ARM template, ARM's list of rule collection groups, or one group.", file);
        }

        return new FirewallPolicyDocument(groups, dnsProxy);
    }

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

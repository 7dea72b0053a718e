using System.Text.Json;
using System.Text.Json.Nodes;

namespace AksEgress.Firewall;

/// <summary>
/// The ARM JSON of a rule collection group (Microsoft.Network, api-version 2024-05-01): the body of a PUT, and
/// the parsing of what a GET returns. Empty lists are left out of what is written.
/// </summary>
public static class RuleCollectionGroupJson
{
    public const string ApiVersion = "2024-05-01";
    public const string ResourceType = "Microsoft.Network/firewallPolicies/ruleCollectionGroups";

    /// <summary><c>{"properties": {...}}</c>: the body of the PUT.</summary>
    public static JsonObject ToRequestBody(FirewallRuleCollectionGroup group) => new() { ["properties"] = ToProperties(group) };

    /// <summary>The group's <c>properties</c>, as PUT to ARM and as written in ARM, Bicep and Terraform exports.</summary>
    public static JsonObject ToProperties(FirewallRuleCollectionGroup group) => new()
    {
        ["priority"] = group.Priority,
        ["ruleCollections"] = new JsonArray(group.RuleCollections.Select(c => (JsonNode)new JsonObject
        {
            ["ruleCollectionType"] = c.RuleCollectionType,
            ["name"] = c.Name,
            ["priority"] = c.Priority,
            ["action"] = new JsonObject { ["type"] = c.Action },
            ["rules"] = new JsonArray(c.Rules.Select(r => (JsonNode)ToJson(r)).ToArray()),
        }).ToArray()),
    };

    private static JsonObject ToJson(FirewallPolicyRule rule)
    {
        var json = new JsonObject { ["ruleType"] = rule.RuleType.ToString(), ["name"] = rule.Name };
        if (rule.Description is not null)
        {
            json["description"] = rule.Description;
        }

        if (rule.RuleType is FirewallRuleType.NetworkRule)
        {
            AddList(json, "ipProtocols", rule.IpProtocols);
            AddList(json, "sourceAddresses", rule.SourceAddresses);
            AddList(json, "sourceIpGroups", rule.SourceIpGroups);
            AddList(json, "destinationAddresses", rule.DestinationAddresses);
            AddList(json, "destinationFqdns", rule.DestinationFqdns);
            AddList(json, "destinationIpGroups", rule.DestinationIpGroups);
            AddList(json, "destinationPorts", rule.DestinationPorts);
        }
        else
        {
            json["protocols"] = new JsonArray(rule.Protocols.Select(p => (JsonNode)new JsonObject { ["protocolType"] = p.ProtocolType, ["port"] = p.Port }).ToArray());
            AddList(json, "sourceAddresses", rule.SourceAddresses);
            AddList(json, "sourceIpGroups", rule.SourceIpGroups);
            AddList(json, "targetFqdns", rule.TargetFqdns);
            AddList(json, "fqdnTags", rule.FqdnTags);
        }

        return json;
    }

    private static void AddList(JsonObject json, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            json[name] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
        }
    }

    /// <summary>
    /// Reads a group as ARM returns it. Collections and rules of kinds this module does not write (NAT, other rule
    /// types) are kept with their type so that a group holding them is never mistaken for one of ours.
    /// </summary>
    public static FirewallRuleCollectionGroup Parse(JsonNode resource)
    {
        var name = resource["name"]?.GetValue<string>() ?? "";
        var properties = resource["properties"] ?? throw new JsonException("The rule collection group has no 'properties'.");
        var priority = properties["priority"]?.GetValue<int>() ?? 0;
        var collections = (properties["ruleCollections"] as JsonArray ?? []).Where(c => c is not null).Select(c => new FirewallRuleCollection(
            c!["name"]?.GetValue<string>() ?? "",
            c["priority"]?.GetValue<int>() ?? 0,
            c["action"]?["type"]?.GetValue<string>() ?? "",
            (c["rules"] as JsonArray ?? []).Where(r => r is not null).Select(r => ParseRule(r!)).ToList())
        {
            RuleCollectionType = c["ruleCollectionType"]?.GetValue<string>() ?? "",
        }).ToList();
        return new FirewallRuleCollectionGroup(name, priority, collections);
    }

    private static FirewallPolicyRule ParseRule(JsonNode rule) => new()
    {
        Name = rule["name"]?.GetValue<string>() ?? "",
        Description = rule["description"]?.GetValue<string>(),
        RuleType = Enum.TryParse<FirewallRuleType>(rule["ruleType"]?.GetValue<string>(), ignoreCase: true, out var type) ? type : (FirewallRuleType)(-1),
        IpProtocols = Strings(rule["ipProtocols"]),
        SourceAddresses = Strings(rule["sourceAddresses"]),
        SourceIpGroups = Strings(rule["sourceIpGroups"]),
        DestinationAddresses = Strings(rule["destinationAddresses"]),
        DestinationFqdns = Strings(rule["destinationFqdns"]),
        DestinationIpGroups = Strings(rule["destinationIpGroups"]),
        DestinationPorts = Strings(rule["destinationPorts"]),
        Protocols = (rule["protocols"] as JsonArray ?? []).Where(p => p is not null)
            .Select(p => new ApplicationProtocol(p!["protocolType"]?.GetValue<string>() ?? "", p["port"]?.GetValue<int>() ?? 0)).ToList(),
        TargetFqdns = Strings(rule["targetFqdns"]),
        FqdnTags = Strings(rule["fqdnTags"]),
    };

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Where(v => v is not null).Select(v => v!.GetValue<string>()).ToList();
}

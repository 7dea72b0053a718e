using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AksEgress.Firewall.Export;

/// <summary>
/// Writes the group as an ARM template, a Bicep file or a Terraform (azurerm) file. All three are rendered from
/// <see cref="RuleCollectionGroupJson.ToProperties"/>, the very properties a PUT would send, so they cannot drift from it.
/// </summary>
public static class RuleCollectionGroupExporter
{
    public static string Export(FirewallRuleCollectionGroup group, ExportFormat format, string firewallPolicyName, string generator) => format switch
    {
        ExportFormat.ArmTemplate => ToArmTemplate(group, firewallPolicyName, generator),
        ExportFormat.Bicep => ToBicep(group, firewallPolicyName, generator),
        ExportFormat.Terraform => ToTerraform(group, generator),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string ToArmTemplate(FirewallRuleCollectionGroup group, string firewallPolicyName, string generator)
    {
        var template = new JsonObject
        {
            ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            ["contentVersion"] = "1.0.0.0",
            ["metadata"] = new JsonObject { ["generator"] = generator },
            ["parameters"] = new JsonObject
            {
                ["firewallPolicyName"] = new JsonObject
                {
                    ["type"] = "string",
                    ["defaultValue"] = firewallPolicyName,
                    ["metadata"] = new JsonObject { ["description"] = "Name of the existing firewall policy." },
                },
            },
            ["resources"] = new JsonArray(new JsonObject
            {
                ["type"] = RuleCollectionGroupJson.ResourceType,
                ["apiVersion"] = RuleCollectionGroupJson.ApiVersion,
                ["name"] = $"[format('{{0}}/{{1}}', parameters('firewallPolicyName'), '{group.Name}')]",
                ["properties"] = RuleCollectionGroupJson.ToProperties(group),
            }),
        };
        return template.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public static string ToBicep(FirewallRuleCollectionGroup group, string firewallPolicyName, string generator)
    {
        var text = new StringBuilder();
        text.Append("// ").Append(generator).Append('\n');
        text.Append("// The host names below are firewall destinations, not endpoints this file calls.\n");
        text.Append("#disable-diagnostics no-hardcoded-env-urls\n\n");
        text.Append("@description('Name of the existing firewall policy.')\n");
        text.Append("param firewallPolicyName string = ").Append(BicepString(firewallPolicyName)).Append("\n\n");
        text.Append("resource firewallPolicy 'Microsoft.Network/firewallPolicies@").Append(RuleCollectionGroupJson.ApiVersion).Append("' existing = {\n  name: firewallPolicyName\n}\n\n");
        text.Append("resource ruleCollectionGroup '").Append(RuleCollectionGroupJson.ResourceType).Append('@').Append(RuleCollectionGroupJson.ApiVersion).Append("' = {\n");
        text.Append("  parent: firewallPolicy\n");
        text.Append("  name: ").Append(BicepString(group.Name)).Append('\n');
        text.Append("  properties: ");
        WriteBicep(text, RuleCollectionGroupJson.ToProperties(group), 1);
        text.Append("\n}\n");
        return text.ToString();
    }

    private static void WriteBicep(StringBuilder text, JsonNode? node, int depth)
    {
        var indent = new string(' ', 2 * (depth + 1));
        var closing = new string(' ', 2 * depth);
        switch (node)
        {
            case JsonObject obj:
                text.Append("{\n");
                foreach (var property in obj)
                {
                    text.Append(indent).Append(IsBicepIdentifier(property.Key) ? property.Key : BicepString(property.Key)).Append(": ");
                    WriteBicep(text, property.Value, depth + 1);
                    text.Append('\n');
                }

                text.Append(closing).Append('}');
                break;
            case JsonArray array:
                text.Append("[\n");
                foreach (var item in array)
                {
                    text.Append(indent);
                    WriteBicep(text, item, depth + 1);
                    text.Append('\n');
                }

                text.Append(closing).Append(']');
                break;
            case JsonValue value when value.TryGetValue<string>(out var s):
                text.Append(BicepString(s));
                break;
            case JsonValue value when value.TryGetValue<bool>(out var b):
                text.Append(b ? "true" : "false");
                break;
            case JsonValue value:
                text.Append(value.ToJsonString());
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static bool IsBicepIdentifier(string key) =>
        key.Length > 0 && (char.IsLetter(key[0]) || key[0] == '_') && key.All(c => char.IsLetterOrDigit(c) || c == '_');

    /// <summary>A Bicep string literal: single quotes, with \, ' and ${ escaped.</summary>
    internal static string BicepString(string value) =>
        "'" + value.Replace("\\", "\\\\").Replace("'", "\\'").Replace("${", "\\${").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "'";

    public static string ToTerraform(FirewallRuleCollectionGroup group, string generator)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(generator).Append('\n');
        text.Append("variable \"firewall_policy_id\" {\n  type        = string\n  description = \"Resource id of the existing firewall policy.\"\n}\n\n");
        text.Append("resource \"azurerm_firewall_policy_rule_collection_group\" \"").Append(TerraformLabel(group.Name)).Append("\" {\n");
        text.Append("  name               = ").Append(HclString(group.Name)).Append('\n');
        text.Append("  firewall_policy_id = var.firewall_policy_id\n");
        text.Append("  priority           = ").Append(group.Priority.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var collection in group.RuleCollections)
        {
            var isNetwork = collection.Rules.All(r => r.RuleType is FirewallRuleType.NetworkRule);
            text.Append('\n').Append(isNetwork ? "  network_rule_collection {\n" : "  application_rule_collection {\n");
            text.Append("    name     = ").Append(HclString(collection.Name)).Append('\n');
            text.Append("    priority = ").Append(collection.Priority.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("    action   = ").Append(HclString(collection.Action)).Append('\n');
            foreach (var rule in collection.Rules)
            {
                text.Append("\n    rule {\n");
                Attribute(text, "name", rule.Name);
                if (rule.Description is not null)
                {
                    Attribute(text, "description", rule.Description);
                }

                if (isNetwork)
                {
                    List(text, "protocols", rule.IpProtocols);
                    List(text, "source_addresses", rule.SourceAddresses);
                    List(text, "source_ip_groups", rule.SourceIpGroups);
                    List(text, "destination_addresses", rule.DestinationAddresses);
                    List(text, "destination_fqdns", rule.DestinationFqdns);
                    List(text, "destination_ports", rule.DestinationPorts);
                }
                else
                {
                    List(text, "source_addresses", rule.SourceAddresses);
                    List(text, "source_ip_groups", rule.SourceIpGroups);
                    List(text, "destination_fqdns", rule.TargetFqdns);
                    List(text, "destination_fqdn_tags", rule.FqdnTags);
                    foreach (var protocol in rule.Protocols)
                    {
                        text.Append("      protocols {\n        type = ").Append(HclString(protocol.ProtocolType))
                            .Append("\n        port = ").Append(protocol.Port.ToString(CultureInfo.InvariantCulture)).Append("\n      }\n");
                    }
                }

                text.Append("    }\n");
            }

            text.Append("  }\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static void Attribute(StringBuilder text, string name, string value) =>
        text.Append("      ").Append(name).Append(" = ").Append(HclString(value)).Append('\n');

    private static void List(StringBuilder text, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            text.Append("      ").Append(name).Append(" = [").Append(string.Join(", ", values.Select(HclString))).Append("]\n");
        }
    }

    private static string TerraformLabel(string name) =>
        new string(name.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray()) is var label && char.IsDigit(label[0]) ? "_" + label : label;

    /// <summary>An HCL string literal: \ and " escaped, and the template sequences ${ and %{ written as $${ and %%{.</summary>
    internal static string HclString(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("${", "$${").Replace("%{", "%%{").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "\"";
}

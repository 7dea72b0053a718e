using System.Text.Json.Nodes;
using AksEgress.Firewall;
using AksEgress.Firewall.Export;

namespace AksEgress.Core.Tests;

public class FirewallExportTests
{
    private static readonly FirewallRuleCollectionGroup Group =
        RuleCollectionGroupBuilder.Build(Query.Run("westeurope", includeOptional: true).Rules, new FirewallPlanOptions { SourceAddresses = ["10.240.0.0/16"] });

    [Fact]
    public void The_arm_template_deploys_exactly_the_properties_that_would_be_put()
    {
        var template = JsonNode.Parse(RuleCollectionGroupExporter.ToArmTemplate(Group, "fp-hub", "test"))!;
        var resource = template["resources"]![0]!;
        Assert.Equal("Microsoft.Network/firewallPolicies/ruleCollectionGroups", resource["type"]!.GetValue<string>());
        Assert.Equal("2024-05-01", resource["apiVersion"]!.GetValue<string>());
        Assert.Equal("[format('{0}/{1}', parameters('firewallPolicyName'), 'aks-egress')]", resource["name"]!.GetValue<string>());
        Assert.Equal("fp-hub", template["parameters"]!["firewallPolicyName"]!["defaultValue"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(RuleCollectionGroupJson.ToRequestBody(Group)["properties"], resource["properties"]));
    }

    [Fact]
    public void The_bicep_file_declares_the_group_as_a_child_of_the_existing_policy()
    {
        var bicep = RuleCollectionGroupExporter.ToBicep(Group, "fp-hub", "test");
        Assert.Contains("param firewallPolicyName string = 'fp-hub'", bicep);
        Assert.Contains("resource firewallPolicy 'Microsoft.Network/firewallPolicies@2024-05-01' existing = {", bicep);
        Assert.Contains("resource ruleCollectionGroup 'Microsoft.Network/firewallPolicies/ruleCollectionGroups@2024-05-01' = {", bicep);
        Assert.Contains("  parent: firewallPolicy\n", bicep);
        Assert.Contains("'*.hcp.westeurope.azmk8s.io'", bicep);
    }

    [Fact]
    public void The_terraform_file_uses_the_azurerm_rule_collection_group_resource()
    {
        var hcl = RuleCollectionGroupExporter.ToTerraform(Group, "test");
        Assert.Contains("resource \"azurerm_firewall_policy_rule_collection_group\" \"aks_egress\" {", hcl);
        Assert.Contains("firewall_policy_id = var.firewall_policy_id", hcl);
        Assert.Contains("      protocols = [\"UDP\"]\n", hcl);
        Assert.Contains("      destination_fqdns = [\"ntp.ubuntu.com\"]\n", hcl);
        Assert.Contains("      protocols {\n        type = \"Https\"\n        port = 443\n      }\n", hcl);
    }

    [Theory]
    [InlineData("it's ${x}", "'it\\'s \\${x}'")]
    [InlineData("a\\b", "'a\\\\b'")]
    public void Bicep_strings_are_escaped(string value, string expected) =>
        Assert.Equal(expected, RuleCollectionGroupExporter.BicepString(value));

    [Theory]
    [InlineData("say \"${x}\" %{y}", "\"say \\\"$${x}\\\" %%{y}\"")]
    public void Hcl_strings_are_escaped(string value, string expected) =>
        Assert.Equal(expected, RuleCollectionGroupExporter.HclString(value));
}

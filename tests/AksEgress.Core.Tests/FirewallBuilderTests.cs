using System.Text.Json.Nodes;
using AksEgress.Catalog;
using AksEgress.Firewall;

namespace AksEgress.Core.Tests;

/// <summary>Requirements to an ARM rule collection group (Microsoft.Network 2024-05-01 NetworkRule / ApplicationRule).</summary>
public class FirewallBuilderTests
{
    private static readonly FirewallPlanOptions Subnet = new() { SourceAddresses = ["10.240.0.0/16"] };

    private static FirewallRuleCollectionGroup Build(IEnumerable<AksEgressRule> rules, FirewallPlanOptions? options = null) =>
        RuleCollectionGroupBuilder.Build(rules, options ?? Subnet);

    [Fact]
    public void A_default_cluster_becomes_a_network_and_an_application_collection_named_after_the_catalog_ids()
    {
        var group = Build(Query.Run("westeurope").Rules);
        Assert.Equal(("aks-egress", 500), (group.Name, group.Priority));
        Assert.Collection(group.RuleCollections,
            network =>
            {
                Assert.Equal(("aks-egress-network", 100, "Allow", "FirewallPolicyFilterRuleCollection"), (network.Name, network.Priority, network.Action, network.RuleCollectionType));
                Assert.Equal(["pub.core.tunnel-udp-1194", "pub.core.tunnel-tcp-9000"], network.Rules.Select(r => r.Name));
            },
            application =>
            {
                Assert.Equal(("aks-egress-application", 200), (application.Name, application.Priority));
                Assert.Equal(["*.hcp.westeurope.azmk8s.io", "mcr.microsoft.com", "*.data.mcr.microsoft.com", "mcr-0001.mcr-msedge.net", "management.azure.com", "login.microsoftonline.com", "packages.microsoft.com", "packages.aks.azure.com"],
                    application.Rules.SelectMany(r => r.TargetFqdns));
                Assert.All(application.Rules, r => Assert.Equal([new ApplicationProtocol("Https", 443)], r.Protocols));
            });
        Assert.False(group.RequiresDnsProxy);
        Assert.True(group.IsManagedByAksEgress);
    }

    [Fact]
    public void The_request_body_has_the_arm_shape_of_a_network_rule_and_an_application_rule()
    {
        var body = RuleCollectionGroupJson.ToRequestBody(Build(Query.Run("westeurope").Rules));
        var collections = body["properties"]!["ruleCollections"]!.AsArray();
        Assert.Equal(500, body["properties"]!["priority"]!.GetValue<int>());
        var tunnel = collections[0]!["rules"]![0]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            { "ruleType": "NetworkRule", "name": "pub.core.tunnel-udp-1194",
              "description": "AksEgress: For tunneled secure communication between the nodes and the control plane.",
              "ipProtocols": ["UDP"], "sourceAddresses": ["10.240.0.0/16"],
              "destinationAddresses": ["AzureCloud.westeurope"], "destinationPorts": ["1194"] }
            """), tunnel), tunnel.ToJsonString());
        var mcr = collections[1]!["rules"]![1]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            { "ruleType": "ApplicationRule", "name": "pub.core.mcr",
              "description": "AksEgress: Images in Microsoft Container Registry (MCR), such as coreDNS, needed to create, scale and upgrade the cluster.",
              "protocols": [{ "protocolType": "Https", "port": 443 }], "sourceAddresses": ["10.240.0.0/16"], "targetFqdns": ["mcr.microsoft.com"] }
            """), mcr), mcr.ToJsonString());
        Assert.Equal("FirewallPolicyFilterRuleCollection", collections[0]!["ruleCollectionType"]!.GetValue<string>());
        Assert.Equal("Allow", collections[0]!["action"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Ntp_to_an_fqdn_is_a_network_rule_with_destination_fqdns_and_needs_dns_proxy()
    {
        var group = Build(Query.Run("westeurope", includeOptional: true).Rules);
        var ntp = group.Rules.Single(r => r.Name == "pub.core.ntp-udp-123");
        Assert.Equal((FirewallRuleType.NetworkRule, "ntp.ubuntu.com", "UDP", "123"), (ntp.RuleType, ntp.DestinationFqdns.Single(), ntp.IpProtocols.Single(), ntp.DestinationPorts.Single()));
        Assert.Empty(ntp.DestinationAddresses);
        Assert.True(group.RequiresDnsProxy);
    }

    [Fact]
    public void Rules_that_share_an_id_become_one_rule_with_every_destination()
    {
        var dns = Build(Query.Run("westeurope", dns: ["10.0.0.4", "10.0.0.5"]).Rules).Rules.Single(r => r.Name == "pub.core.dns-udp-53");
        Assert.Equal(["10.0.0.4", "10.0.0.5"], dns.DestinationAddresses);
        var twoRegions = Query.Run("westeurope").Rules.Concat(Query.Run("northeurope").Rules);
        var hcp = Build(twoRegions).Rules.Single(r => r.Name == "pub.core.hcp");
        Assert.Equal(["*.hcp.westeurope.azmk8s.io", "*.hcp.northeurope.azmk8s.io"], hcp.TargetFqdns);
    }

    [Fact]
    public void A_destination_needed_by_two_features_is_written_once()
    {
        var group = Build(Query.Run("westeurope", features: [AksFeature.Defender, AksFeature.AzureMonitor]).Rules);
        Assert.Single(group.Rules, r => r.TargetFqdns.Contains("*.ods.opinsights.azure.com"));
        Assert.Single(group.Rules, r => r.TargetFqdns.Contains("login.microsoftonline.com"));
    }

    [Fact]
    public void With_the_fqdn_tag_one_rule_replaces_the_required_core_fqdns_but_not_the_feature_rules()
    {
        var group = Build(Query.Run("westeurope", features: [AksFeature.AzureMonitor]).Rules, Subnet with { UseFqdnTag = true });
        var application = group.RuleCollections.Single(c => c.Name == "aks-egress-application").Rules;
        var tag = application[0];
        Assert.Equal(("aks-fqdn-tag", "AzureKubernetesService"), (tag.Name, tag.FqdnTags.Single()));
        Assert.Equal([new ApplicationProtocol("Http", 80), new ApplicationProtocol("Https", 443)], tag.Protocols);
        Assert.DoesNotContain(application, r => r.TargetFqdns.Contains("mcr.microsoft.com"));
        Assert.Contains(application, r => r.TargetFqdns.Contains("*.ingest.monitor.azure.com"));
        Assert.Equal(2, group.RuleCollections.Single(c => c.Name == "aks-egress-network").Rules.Count);
    }

    [Fact]
    public void Ip_groups_can_be_the_source()
    {
        const string ipGroup = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Network/ipGroups/aks-nodes";
        var group = Build(Query.Run("westeurope").Rules, new FirewallPlanOptions { SourceIpGroups = [ipGroup] });
        Assert.All(group.Rules, r =>
        {
            Assert.Equal([ipGroup], r.SourceIpGroups);
            Assert.Empty(r.SourceAddresses);
        });
    }

    [Theory]
    [InlineData("NoSource", null, 500, "aks-egress")]
    [InlineData("InvalidSourceAddress", "10.0.0.0/33", 500, "aks-egress")]
    [InlineData("InvalidSourceAddress", "10.0.0.300", 500, "aks-egress")]
    [InlineData("InvalidSourceAddress", "10.1", 500, "aks-egress")]
    [InlineData("PriorityOutOfRange", "10.0.0.0/16", 99, "aks-egress")]
    [InlineData("PriorityOutOfRange", "10.0.0.0/16", 65001, "aks-egress")]
    [InlineData("InvalidGroupName", "10.0.0.0/16", 500, "-aks")]
    [InlineData("InvalidGroupName", "10.0.0.0/16", 500, "aks egress")]
    public void Invalid_options_are_refused_before_anything_is_written(string errorId, string? source, int priority, string name)
    {
        var options = new FirewallPlanOptions { SourceAddresses = source is null ? [] : [source], Priority = priority, GroupName = name };
        Assert.Equal(errorId, Assert.Throws<FirewallPlanException>(() => Build(Query.Run("westeurope").Rules, options)).ErrorId);
    }

    [Theory]
    [InlineData("10.240.0.0/16")]
    [InlineData("10.240.0.4")]
    [InlineData("10.240.0.4-10.240.0.10")]
    [InlineData("fd00::/8")]
    [InlineData("*")]
    public void Valid_source_addresses_are_accepted(string source) =>
        Assert.True(RuleCollectionGroupBuilder.IsSourceAddress(source));

    [Fact]
    public void An_empty_rule_set_and_obsolete_rules_are_refused()
    {
        Assert.Equal("EmptyRuleSet", Assert.Throws<FirewallPlanException>(() => Build([])).ErrorId);
        Assert.Equal("ObsoleteRule", Assert.Throws<FirewallPlanException>(() => Build(Query.Run("westeurope", edition: CatalogEdition.Legacy2019).Rules)).ErrorId);
    }
}

using System.Text.Json.Nodes;
using AksEgress.Catalog;
using AksEgress.Firewall;
using AksEgress.Firewall.Coverage;
using AksEgress.Firewall.Export;

namespace AksEgress.Core.Tests;

/// <summary>Azure Firewall's processing (learn.microsoft.com/azure/firewall/rule-processing) applied to the requirements.</summary>
public class FirewallCoverageTests
{
    private static readonly string[] Subnet = ["10.240.0.0/16"];

    private static FirewallRuleCollectionGroup Group(string name, int priority, params FirewallRuleCollection[] collections) => new(name, priority, collections);

    private static FirewallRuleCollection Net(string name, int priority, string action, params FirewallPolicyRule[] rules) => new(name, priority, action, rules);

    private static FirewallPolicyRule NetRule(string name, string protocol, string ports, string destination, string source = "10.0.0.0/8") => new()
    {
        Name = name, RuleType = FirewallRuleType.NetworkRule, IpProtocols = [protocol], DestinationPorts = [ports], SourceAddresses = [source],
        DestinationAddresses = destination.Contains('.') && !char.IsDigit(destination[0]) && !destination.StartsWith("AzureCloud") ? [] : [destination],
        DestinationFqdns = destination.Contains('.') && !char.IsDigit(destination[0]) && !destination.StartsWith("AzureCloud") ? [destination] : [],
    };

    private static FirewallPolicyRule AppRule(string name, string target, string protocol = "Https", int port = 443, string source = "10.0.0.0/8") => new()
    {
        Name = name, RuleType = FirewallRuleType.ApplicationRule, Protocols = [new(protocol, port)], SourceAddresses = [source],
        TargetFqdns = target.StartsWith("tag:") ? [] : [target], FqdnTags = target.StartsWith("tag:") ? [target.Substring(4)] : [],
    };

    private static RequirementCoverage Cover(IReadOnlyList<FirewallRuleCollectionGroup> groups, string destination, bool? dnsProxy = true, int? port = null) =>
        FirewallCoverageAnalyzer.Analyze(groups, Query.Run("westeurope", includeOptional: true, features: [AksFeature.AzureMonitor]).Rules.Where(r => r.Destination == destination && (port is null || r.Port == port)), Subnet, dnsProxy).Single();

    [Fact]
    public void The_group_this_module_writes_allows_every_requirement_it_was_built_from()
    {
        var rules = Query.Run("westeurope", features: [AksFeature.AzureMonitor, AksFeature.Gpu], includeOptional: true).Rules;
        var group = RuleCollectionGroupBuilder.Build(rules, new FirewallPlanOptions { SourceAddresses = Subnet });
        var coverage = FirewallCoverageAnalyzer.Analyze([group], rules, Subnet, dnsProxyEnabled: true);
        Assert.All(coverage, c => Assert.Equal(CoverageStatus.Allowed, c.StatusValue));
        Assert.Equal(("aks-egress", "aks-egress-network", "pub.core.tunnel-udp-1194"), (coverage[0].RuleCollectionGroup, coverage[0].RuleCollection, coverage[0].Rule));
    }

    [Fact]
    public void Network_rules_are_processed_before_application_rules_whatever_the_priorities()
    {
        var groups = new[]
        {
            Group("apps", 100, Net("allow-apps", 100, "Allow", AppRule("mcr", "mcr.microsoft.com"))),
            Group("nets", 500, Net("deny-web", 100, "Deny", NetRule("no-443", "TCP", "443", "*"))),
        };
        var coverage = Cover(groups, "mcr.microsoft.com");
        Assert.Equal((CoverageStatus.Denied, "nets", "no-443"), (coverage.StatusValue, coverage.RuleCollectionGroup, coverage.Rule));
    }

    [Fact]
    public void Groups_then_collections_are_taken_in_priority_order_and_the_first_match_decides()
    {
        var allowFirst = new[]
        {
            Group("late", 600, Net("deny", 100, "Deny", AppRule("no-mcr", "mcr.microsoft.com"))),
            Group("early", 500, Net("allow", 200, "Allow", AppRule("mcr", "mcr.microsoft.com"))),
        };
        Assert.Equal((CoverageStatus.Allowed, "early"), (Cover(allowFirst, "mcr.microsoft.com").StatusValue, Cover(allowFirst, "mcr.microsoft.com").RuleCollectionGroup));
        var denyFirst = new[] { Group("g", 500, Net("allow", 300, "Allow", AppRule("mcr", "mcr.microsoft.com")), Net("deny", 200, "Deny", AppRule("no-mcr", "*.microsoft.com"))) };
        Assert.Equal(CoverageStatus.Denied, Cover(denyFirst, "mcr.microsoft.com").StatusValue);
    }

    [Theory]
    [InlineData("*.azmk8s.io", "*.hcp.westeurope.azmk8s.io", true)]
    [InlineData("*.westeurope.azmk8s.io", "*.hcp.westeurope.azmk8s.io", true)]
    [InlineData("*.hcp.westeurope.azmk8s.io", "*.hcp.westeurope.azmk8s.io", true)]
    [InlineData("*.microsoft.com", "mcr.microsoft.com", true)]
    [InlineData("*", "mcr.microsoft.com", true)]
    [InlineData("MCR.Microsoft.com", "mcr.microsoft.com", true)]
    [InlineData("microsoft.com", "mcr.microsoft.com", false)]
    [InlineData("*.mcr.microsoft.com", "mcr.microsoft.com", false)]
    [InlineData("*.northeurope.azmk8s.io", "*.hcp.westeurope.azmk8s.io", false)]
    public void Fqdn_wildcards_cover_names_below_them(string target, string requirement, bool covered) =>
        Assert.Equal(covered, FirewallRuleMatcher.FqdnCovers(target, requirement));

    [Fact]
    public void The_aks_fqdn_tag_covers_the_required_core_fqdns_but_not_feature_rules()
    {
        var groups = new[] { Group("g", 500, Net("tag", 100, "Allow", AppRule("aks", "tag:AzureKubernetesService"))) };
        Assert.Equal(CoverageStatus.Allowed, Cover(groups, "mcr.microsoft.com").StatusValue);
        Assert.Equal(CoverageStatus.Missing, Cover(groups, "*.ingest.monitor.azure.com").StatusValue);
    }

    [Fact]
    public void Service_tags_their_parent_tag_any_address_and_port_ranges_cover_the_tunnel()
    {
        foreach (var (destination, ports) in new[] { ("AzureCloud.westeurope", "1194"), ("AzureCloud", "1194"), ("*", "1000-2000"), ("*", "*") })
        {
            Assert.Equal(CoverageStatus.Allowed, Cover([Group("g", 500, Net("n", 100, "Allow", NetRule("t", "UDP", ports, destination)))], "AzureCloud.westeurope", port: 1194).StatusValue);
        }

        Assert.Equal(CoverageStatus.Missing, Cover([Group("g", 500, Net("n", 100, "Allow", NetRule("t", "TCP", "1194", "*")))], "AzureCloud.westeurope", port: 1194).StatusValue);
        Assert.Equal(CoverageStatus.Missing, Cover([Group("g", 500, Net("n", 100, "Allow", NetRule("t", "UDP", "1194", "AzureCloud.northeurope")))], "AzureCloud.westeurope", port: 1194).StatusValue);
    }

    [Theory]
    [InlineData("0-70000")]
    [InlineData("1-2-65535")]
    [InlineData("1194-")]
    [InlineData("0")]
    public void A_port_spec_azure_firewall_would_refuse_allows_nothing(string ports) =>
        // Azure Firewall takes '*', a port 1-65535 or a range low-high within it; anything else is refused, so allows nothing.
        Assert.Equal(CoverageStatus.Missing, Cover([Group("g", 500, Net("n", 100, "Allow", NetRule("t", "UDP", ports, "*")))], "AzureCloud.westeurope", port: 1194).StatusValue);

    [Fact]
    public void A_rule_for_other_sources_does_not_cover_the_cluster()
    {
        Assert.Equal(CoverageStatus.Missing, Cover([Group("g", 500, Net("a", 100, "Allow", AppRule("mcr", "mcr.microsoft.com", source: "192.168.0.0/16")))], "mcr.microsoft.com").StatusValue);
        Assert.Equal(CoverageStatus.Allowed, Cover([Group("g", 500, Net("a", 100, "Allow", AppRule("mcr", "mcr.microsoft.com", source: "*")))], "mcr.microsoft.com").StatusValue);
    }

    [Fact]
    public void An_fqdn_network_rule_without_dns_proxy_does_not_let_ntp_through()
    {
        var groups = new[] { Group("g", 500, Net("n", 100, "Allow", NetRule("ntp", "UDP", "123", "ntp.ubuntu.com"))) };
        Assert.Equal(CoverageStatus.Allowed, Cover(groups, "ntp.ubuntu.com", dnsProxy: true).StatusValue);
        var off = Cover(groups, "ntp.ubuntu.com", dnsProxy: false);
        Assert.Equal(CoverageStatus.Missing, off.StatusValue);
        Assert.Contains("DNS proxy", off.Note);
    }

    [Fact]
    public void Stale_2019_rules_and_retired_rules_are_named_and_current_ones_are_not()
    {
        var stale = StaleDestinations.For(RuleCatalog.Embedded, AksCloud.AzureCloud, "westeurope", Query.Today);
        Assert.Contains("aksrepos.azurecr.io", stale);
        Assert.Contains("*.cdn.mscr.io", stale);
        Assert.Contains("*.tun.westeurope.azmk8s.io", stale);
        Assert.Contains("acs-mirror.azureedge.net", stale);  // retired 2025-05-31 (Azure/AKS#4792)
        Assert.DoesNotContain("mcr.microsoft.com", stale);    // in both editions
        Assert.DoesNotContain("*.hcp.westeurope.azmk8s.io", stale);
        Assert.DoesNotContain("acs-mirror.azureedge.net", StaleDestinations.For(RuleCatalog.Embedded, AksCloud.AzureCloud, "westeurope", new DateTime(2025, 1, 1)));

        var groups = new[]
        {
            Group("legacy", 400, Net("old", 100, "Allow", AppRule("aksrepos", "aksrepos.azurecr.io"), AppRule("mcr", "mcr.microsoft.com"), AppRule("wide", "*"), AppRule("everyone", "packages.microsoft.com", source: "*"))),
        };
        var findings = PolicyHygiene.Check(groups, stale).ToList();
        Assert.Equal([(PolicyHygieneKind.Stale, "aksrepos"), (PolicyHygieneKind.OverBroad, "wide"), (PolicyHygieneKind.OverBroad, "everyone")], findings.Select(f => (f.KindValue, f.Rule)));
    }

    [Fact]
    public void Each_obsolete_destination_of_a_rule_that_also_allows_current_ones_is_named()
    {
        // As the 2019 procedure (seeds 000/002) built it: one application rule, many FQDNs. aksrepos.azurecr.io and
        // *.cdn.mscr.io are 2019-only; the API server, MCR and ARM FQDNs are still required (seed 003).
        var rule = AppRule("aks-2019", "mcr.microsoft.com") with
        {
            TargetFqdns = ["*.hcp.westeurope.azmk8s.io", "aksrepos.azurecr.io", "mcr.microsoft.com", "*.cdn.mscr.io", "management.azure.com"],
        };
        var findings = PolicyHygiene.Check([Group("legacy", 400, Net("old", 100, "Allow", rule))], StaleDestinations.For(RuleCatalog.Embedded, AksCloud.AzureCloud, "westeurope", new DateTime(2026, 11, 27))).ToList();
        Assert.Equal([("AKSFW004", "aksrepos.azurecr.io"), ("AKSFW004", "*.cdn.mscr.io")], findings.Select(f => (f.Code, f.Destination)));
        Assert.All(findings, f => Assert.Equal("legacy/old/aks-2019", f.Target));
    }

    [Fact]
    public void Policies_are_read_from_an_arm_template_a_list_or_one_group_and_bad_files_are_named()
    {
        var group = RuleCollectionGroupBuilder.Build(Query.Run("westeurope").Rules, new FirewallPlanOptions { SourceAddresses = Subnet });
        var template = FirewallPolicyDocument.Parse(RuleCollectionGroupExporter.ToArmTemplate(group, "fp-hub", "test"), "t.json");
        Assert.Equal("aks-egress", template.Groups.Single().Name);
        var body = RuleCollectionGroupJson.ToRequestBody(group);
        body["name"] = "aks-egress";
        body["type"] = "Microsoft.Network/firewallPolicies/ruleCollectionGroups";
        Assert.Single(FirewallPolicyDocument.Parse(new JsonArray(body.DeepClone()).ToJsonString(), "list.json").Groups);
        Assert.Single(FirewallPolicyDocument.Parse(body.ToJsonString(), "one.json").Groups);
        Assert.Equal("InvalidPolicyFile", Assert.Throws<FirewallPlanException>(() => FirewallPolicyDocument.Parse("{ nope", "bad.json")).ErrorId);
        Assert.Equal("NotAFirewallPolicy", Assert.Throws<FirewallPlanException>(() => FirewallPolicyDocument.Parse("""{ "kind": "Pod" }""", "pod.json")).ErrorId);
    }

    /// <summary>An ARM template with a firewall that uses a policy: the firewall has no DNS setting of its own, the policy's applies.</summary>
    private static string FirewallWithPolicy(string? policyDnsProxy)
    {
        const string Firewall = """
            { "type": "Microsoft.Network/azureFirewalls", "name": "fw-hub", "properties": {
                "firewallPolicy": { "id": "[resourceId('Microsoft.Network/firewallPolicies', 'fp-hub')]" },
                "ipConfigurations": [ { "name": "ip", "properties": { "privateIPAddress": "10.0.1.4" } } ] } }
            """;
        const string Policy = """
            { "type": "Microsoft.Network/firewallPolicies", "name": "fp-hub", "properties": { "dnsSettings": { "enableProxy": PROXY } },
              "resources": [ { "type": "ruleCollectionGroups", "name": "g", "properties": { "priority": 500, "ruleCollections": [
                { "ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "n", "priority": 100, "action": { "type": "Allow" }, "rules": [
                  { "ruleType": "NetworkRule", "name": "ntp", "ipProtocols": ["UDP"], "sourceAddresses": ["*"], "destinationFqdns": ["ntp.ubuntu.com"], "destinationPorts": ["123"] } ] } ] } } ] }
            """;
        return "{ \"resources\": [" + Firewall + (policyDnsProxy is null ? "" : "," + Policy.Replace("PROXY", policyDnsProxy)) + "] }";
    }

    [Fact]
    public void A_firewall_that_uses_a_policy_in_the_same_file_takes_the_policys_dns_proxy_setting()
    {
        var on = FirewallPolicyDocument.Parse(FirewallWithPolicy("true"), "fw.json", "fw-hub");
        Assert.True(on.DnsProxyEnabled);
        Assert.Equal(CoverageStatus.Allowed, Cover(on.Groups, "ntp.ubuntu.com", on.DnsProxyEnabled).StatusValue);
        Assert.Equal([new FirewallAddress("fw-hub", System.Net.IPAddress.Parse("10.0.1.4"))], on.Firewalls);

        var off = FirewallPolicyDocument.Parse(FirewallWithPolicy("false"), "fw.json", "fw-hub");
        Assert.False(off.DnsProxyEnabled);
        Assert.Equal(CoverageStatus.Missing, Cover(off.Groups, "ntp.ubuntu.com", off.DnsProxyEnabled).StatusValue);

        // The policy itself, chosen by name, has the firewall that uses it for the egress path.
        Assert.Equal("fw-hub", Assert.Single(FirewallPolicyDocument.Parse(FirewallWithPolicy("true"), "fw.json", "fp-hub").Firewalls).Name);

        // Without the policy the setting is not known: neither on nor off.
        var alone = FirewallPolicyDocument.Parse(FirewallWithPolicy(null), "fw.json", "fw-hub");
        Assert.Null(alone.DnsProxyEnabled);
        Assert.Equal("fp-hub", alone.MissingParent);
    }

    [Fact]
    public void A_network_rule_reaches_the_addresses_of_its_destination_ip_groups_and_an_unknown_group_reaches_none()
    {
        var rule = new FirewallPolicyRule
        {
            Name = "api", RuleType = FirewallRuleType.NetworkRule, IpProtocols = ["TCP"], DestinationPorts = ["9000"], SourceAddresses = ["*"],
            DestinationIpGroups = ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Network/ipGroups/api-servers"],
        };
        var groups = new[] { Group("g", 500, Net("n", 100, "Allow", rule)) };
        var api = Query.Run("westeurope", api: "20.50.1.10").Rules.Single(r => r.Destination == "20.50.1.10" && r.Port == 9000);
        IReadOnlyDictionary<string, IReadOnlyList<string>> known = new Dictionary<string, IReadOnlyList<string>> { ["api-servers"] = ["20.50.1.0/24"] };
        IReadOnlyDictionary<string, IReadOnlyList<string>> other = new Dictionary<string, IReadOnlyList<string>> { ["api-servers"] = ["20.60.0.0/16"] };

        Assert.Equal(CoverageStatus.Allowed, FirewallCoverageAnalyzer.Analyze(groups, [api], Subnet, true, null, known).Single().StatusValue);
        Assert.Equal(CoverageStatus.Missing, FirewallCoverageAnalyzer.Analyze(groups, [api], Subnet, true, null, other).Single().StatusValue);
        Assert.Equal(CoverageStatus.Missing, FirewallCoverageAnalyzer.Analyze(groups, [api], Subnet, true, null, new Dictionary<string, IReadOnlyList<string>>()).Single().StatusValue);
        // Read from ARM's JSON, and written back the same.
        var json = RuleCollectionGroupJson.ToRequestBody(new FirewallRuleCollectionGroup("g", 500, [new FirewallRuleCollection("n", 100, "Allow", [rule])]));
        Assert.Equal(rule.DestinationIpGroups, RuleCollectionGroupJson.Parse(json).RuleCollections[0].Rules[0].DestinationIpGroups);
    }
}

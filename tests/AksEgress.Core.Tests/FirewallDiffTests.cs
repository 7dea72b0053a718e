using System.Text.Json.Nodes;
using AksEgress.Firewall;

namespace AksEgress.Core.Tests;

public class FirewallDiffTests
{
    private static readonly FirewallRuleCollectionGroup Desired =
        RuleCollectionGroupBuilder.Build(Query.Run("westeurope").Rules, new FirewallPlanOptions { SourceAddresses = ["10.240.0.0/16"] });

    private static FirewallRuleCollectionGroup RoundTrip(JsonObject body, string name = "aks-egress")
    {
        body["name"] = name;
        return RuleCollectionGroupJson.Parse(JsonNode.Parse(body.ToJsonString())!);
    }

    [Fact]
    public void No_group_means_create_with_every_rule_added()
    {
        var diff = RuleCollectionGroupDiff.Compare(Desired, null);
        Assert.False(diff.Exists);
        Assert.Equal(10, diff.RuleChanges.Count(c => c.ChangeValue == RuleChangeKind.Added));
    }

    [Fact]
    public void What_arm_returns_for_what_was_put_is_in_sync() =>
        Assert.True(RuleCollectionGroupDiff.Compare(Desired, RoundTrip(RuleCollectionGroupJson.ToRequestBody(Desired))).InSync);

    [Fact]
    public void Order_of_rules_and_list_items_and_case_do_not_count()
    {
        var body = RuleCollectionGroupJson.ToRequestBody(Desired);
        var rules = body["properties"]!["ruleCollections"]![1]!["rules"]!.AsArray();
        var reversed = rules.Select(r => r!.DeepClone()).Reverse().ToArray();
        rules.Clear();
        foreach (var r in reversed)
        {
            rules.Add(r);
        }

        rules[0]!["protocols"]![0]!["protocolType"] = "HTTPS";
        rules[0]!["targetFqdns"]![0] = rules[0]!["targetFqdns"]![0]!.GetValue<string>().ToUpperInvariant();
        Assert.True(RuleCollectionGroupDiff.Compare(Desired, RoundTrip(body)).InSync);
    }

    [Fact]
    public void A_changed_destination_an_extra_rule_and_a_missing_rule_are_each_reported()
    {
        var body = RuleCollectionGroupJson.ToRequestBody(Desired);
        var rules = body["properties"]!["ruleCollections"]![1]!["rules"]!.AsArray();
        rules[0]!["targetFqdns"] = new JsonArray("*.hcp.northeurope.azmk8s.io");
        rules.RemoveAt(1);
        rules.Add(JsonNode.Parse("""{ "ruleType": "ApplicationRule", "name": "extra", "protocols": [{ "protocolType": "Https", "port": 443 }], "targetFqdns": ["example.com"] }"""));
        body["properties"]!["priority"] = 600;

        var diff = RuleCollectionGroupDiff.Compare(Desired, RoundTrip(body));
        Assert.Equal(["~ aks-egress-application/pub.core.hcp", "+ aks-egress-application/pub.core.mcr", "- aks-egress-application/extra"],
            diff.RuleChanges.Select(c => c.ToString().Split(':')[0]));
        Assert.Equal(["priority 600 => 500"], diff.GroupChanges);
        Assert.False(diff.InSync);
    }

    [Fact]
    public void A_group_with_someone_elses_collection_or_unmarked_rules_is_not_ours()
    {
        var body = RuleCollectionGroupJson.ToRequestBody(Desired);
        Assert.True(RoundTrip(body).IsManagedByAksEgress);
        body["properties"]!["ruleCollections"]![0]!["rules"]![0]!["description"] = "hand-written";
        Assert.False(RoundTrip(body).IsManagedByAksEgress);
        var nat = JsonNode.Parse("""{ "properties": { "priority": 100, "ruleCollections": [ { "ruleCollectionType": "FirewallPolicyNatRuleCollection", "name": "aks-egress-network", "priority": 100, "action": { "type": "DNAT" }, "rules": [] } ] } }""")!.AsObject();
        Assert.False(RoundTrip(nat).IsManagedByAksEgress);
    }
}

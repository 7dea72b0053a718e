using System.Text.Json.Nodes;
using AksEgress.Emulation;
using AksEgress.Catalog;
using AksEgress.Firewall;
using static AksEgress.Azure.Tests.TestArm;

namespace AksEgress.Azure.Tests;

/// <summary>The happy paths, asserted on the requests ARM receives.</summary>
public class ApplyTests
{
    [Fact]
    public async Task The_first_apply_creates_the_group_with_one_conditional_put_of_exactly_the_planned_body()
    {
        await using var arm = await StartWithPolicyAsync();
        var desired = Desired();
        var result = await ApplyAsync(arm, Request(desired));

        Assert.Equal((FirewallAction.Create, 1), (result.ActionValue, result.Attempts));
        var put = Assert.Single(arm.Writes);
        Assert.Equal(("PUT", GroupPath, "?api-version=2024-05-01"), (put.Method, put.Path, put.Query));
        Assert.Equal("Bearer test-token", put.Header("Authorization"));
        Assert.Equal("*", put.Header("If-None-Match"));
        Assert.Null(put.Header("If-Match"));
        Assert.True(JsonNode.DeepEquals(RuleCollectionGroupJson.ToRequestBody(desired), JsonNode.Parse(put.Body)));
        Assert.All(arm.Requests, r => Assert.Contains("api-version=2024-05-01", r.Query));

        var stored = arm.Get(GroupPath)!;
        Assert.Equal(stored["etag"]!.GetValue<string>(), result.ETag);
        Assert.Equal("Succeeded", result.ProvisioningState);
        Assert.Contains(arm.Requests, r => r.Method == "GET" && r.Path.Contains("/operations/"));
    }

    [Fact]
    public async Task A_second_apply_of_the_same_rules_writes_nothing()
    {
        await using var arm = await StartWithPolicyAsync();
        await ApplyAsync(arm, Request(Desired()));
        var writesBefore = arm.Writes.Count();
        var again = await ApplyAsync(arm, Request(Desired()));
        Assert.Equal(FirewallAction.None, again.ActionValue);
        Assert.Equal(writesBefore, arm.Writes.Count());
        Assert.Empty(again.Changes);
    }

    [Fact]
    public async Task A_change_is_one_put_conditional_on_the_etag_read()
    {
        await using var arm = await StartWithPolicyAsync();
        await ApplyAsync(arm, Request(Desired()));
        var etag = arm.Get(GroupPath)!["etag"]!.GetValue<string>();
        var result = await ApplyAsync(arm, Request(Desired(AksFeature.AzureMonitor)));

        Assert.Equal(FirewallAction.Update, result.ActionValue);
        // The Azure public table of the document (revision of 2026-06-18): ten FQDN rows, login.microsoftonline.com already a core rule.
        Assert.Equal(9, result.Changes.Count(c => c.ChangeValue == RuleChangeKind.Added));
        var put = arm.Writes.Last();
        Assert.Equal(etag, put.Header("If-Match"));
        Assert.Equal(2, arm.Writes.Count());
    }

    [Fact]
    public async Task Other_groups_of_the_policy_stay_byte_identical()
    {
        await using var arm = await StartWithPolicyAsync();
        var other = PolicyPath + "/ruleCollectionGroups/DefaultNetworkRuleCollectionGroup";
        arm.Seed(other, JsonNode.Parse("""{ "properties": { "priority": 200, "ruleCollections": [ { "ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "hand", "priority": 100, "action": { "type": "Allow" }, "rules": [ { "ruleType": "NetworkRule", "name": "dns", "ipProtocols": ["UDP"], "sourceAddresses": ["*"], "destinationAddresses": ["168.63.129.16"], "destinationPorts": ["53"] } ] } ] } }""")!.AsObject());
        var before = arm.Get(other)!.ToJsonString();

        await ApplyAsync(arm, Request(Desired()));
        await ApplyAsync(arm, Request(Desired(AksFeature.Gpu)));

        Assert.Equal(before, arm.Get(other)!.ToJsonString());
        Assert.DoesNotContain(arm.Writes, w => w.Path.EndsWith("DefaultNetworkRuleCollectionGroup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_policy_is_created_with_dns_proxy_on_when_a_location_is_given()
    {
        await using var arm = await ArmEmulator.StartAsync();
        arm.AddResourceGroup(Subscription, ResourceGroup);
        var result = await ApplyAsync(arm, Request(Desired()) with { PolicyLocation = "westeurope" });

        Assert.True(result.PolicyCreated);
        var createPolicy = arm.Writes.First();
        Assert.Equal(("PUT", PolicyPath, "*"), (createPolicy.Method, createPolicy.Path, createPolicy.Header("If-None-Match")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "location": "westeurope", "properties": { "dnsSettings": { "enableProxy": true } } }"""), JsonNode.Parse(createPolicy.Body)));
        Assert.NotNull(arm.Get(GroupPath));
    }

    [Fact]
    public async Task Dns_proxy_is_turned_on_when_asked_keeping_the_rest_of_the_policy()
    {
        await using var arm = await StartWithPolicyAsync(dnsProxy: false);
        var etag = arm.Get(PolicyPath)!["etag"]!.GetValue<string>();
        var result = await ApplyAsync(arm, Request(Desired(includeOptional: true)) with { EnableDnsProxy = true });

        Assert.True(result.DnsProxyEnabled);
        var policyPut = arm.Writes.First();
        Assert.Equal((PolicyPath, etag), (policyPut.Path, policyPut.Header("If-Match")));
        var body = JsonNode.Parse(policyPut.Body)!;
        Assert.True(body["properties"]!["dnsSettings"]!["enableProxy"]!.GetValue<bool>());
        Assert.Equal("Alert", body["properties"]!["threatIntelMode"]!.GetValue<string>());
        Assert.Null(body["etag"]);
        Assert.Null(body["properties"]!["provisioningState"]);
        Assert.NotNull(arm.Get(GroupPath));
    }

    [Fact]
    public async Task A_group_this_module_did_not_write_is_taken_over_only_with_force()
    {
        await using var arm = await StartWithPolicyAsync();
        arm.Seed(GroupPath, JsonNode.Parse("""{ "properties": { "priority": 500, "ruleCollections": [ { "ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "mine", "priority": 100, "action": { "type": "Allow" }, "rules": [] } ] } }""")!.AsObject());
        var error = await Assert.ThrowsAsync<FirewallApplyException>(() => ApplyAsync(arm, Request(Desired())));
        Assert.Equal("GroupNotOwned", error.ErrorId);
        Assert.Empty(arm.Writes);

        var forced = await ApplyAsync(arm, Request(Desired()) with { Force = true });
        Assert.Equal(FirewallAction.Update, forced.ActionValue);
    }

    [Fact]
    public async Task Plan_reads_and_never_writes()
    {
        await using var arm = await StartWithPolicyAsync();
        var plan = await new FirewallPolicyApplier(Store(arm)).PlanAsync(Request(Desired()), CancellationToken.None);
        Assert.Equal(FirewallAction.Create, plan.Action);
        Assert.Contains("+ aks-egress-network/pub.core.tunnel-udp-1194: UDP 1194 -> AzureCloud.westeurope", plan.Describe());
        Assert.Empty(arm.Writes);
    }

    [Fact]
    public async Task Lists_of_groups_are_followed_across_pages()
    {
        await using var arm = await StartWithPolicyAsync();
        arm.PageSize = 1;
        foreach (var (name, priority) in new[] { ("a", 200), ("b", 300), ("c", 400) })
        {
            arm.Seed($"{PolicyPath}/ruleCollectionGroups/{name}", JsonNode.Parse($$"""{ "properties": { "priority": {{priority}}, "ruleCollections": [] } }""")!.AsObject());
        }

        var groups = await Store(arm).ListGroupsAsync(PolicyId, CancellationToken.None);
        Assert.Equal(["a", "b", "c"], groups.Select(g => g.Group.Name));
    }
}

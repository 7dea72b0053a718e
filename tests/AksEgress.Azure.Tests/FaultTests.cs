using System.Text.Json.Nodes;
using AksEgress.Emulation;
using AksEgress.Catalog;
using static AksEgress.Azure.Tests.TestArm;

namespace AksEgress.Azure.Tests;

/// <summary>ARM's failures: retried where ARM says to, refused before any write where the request is wrong, never half-written.</summary>
public class FaultTests
{
    private static bool GroupPut(RecordedRequest r) => r.Method == "PUT" && r.Path == GroupPath;

    [Fact]
    public async Task On_412_it_reads_again_plans_again_and_writes_with_the_new_etag()
    {
        await using var arm = await StartWithPolicyAsync();
        await ApplyAsync(arm, Request(Desired()));
        arm.Inject(GroupPut, new Fault.Status(412, "PreconditionFailed"));

        var result = await ApplyAsync(arm, Request(Desired(AksFeature.Gpu)));

        Assert.Equal(2, result.Attempts);
        var puts = arm.Writes.Where(GroupPut).ToList();
        Assert.Equal(3, puts.Count); // the first apply, the refused one, the retry
        Assert.Equal(puts[1].Header("If-Match"), puts[2].Header("If-Match"));
        Assert.Contains(arm.Get(GroupPath)!["properties"]!["ruleCollections"]![1]!["rules"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "all.gpu.nvidia-github");
    }

    [Fact]
    public async Task A_group_changed_by_someone_else_between_plan_and_write_is_re_planned()
    {
        await using var arm = await StartWithPolicyAsync();
        await ApplyAsync(arm, Request(Desired()));
        var applier = new FirewallPolicyApplier(Store(arm));
        var plan = await applier.PlanAsync(Request(Desired(AksFeature.Gpu)), CancellationToken.None);
        await ApplyAsync(arm, Request(Desired(AksFeature.Windows))); // another writer, after our plan

        var result = await applier.ApplyAsync(Request(Desired(AksFeature.Gpu)), plan, CancellationToken.None);

        Assert.Equal(2, result.Attempts);
        Assert.Contains(result.Changes, c => c.Rule == "all.windows.oneget" && c.ChangeValue == Firewall.RuleChangeKind.Removed);
    }

    [Theory]
    [InlineData(409, "AnotherOperationInProgress")]
    [InlineData(429, "TooManyRequests")]
    [InlineData(500, "InternalServerError")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task Transient_answers_are_retried_honouring_retry_after(int status, string code)
    {
        await using var arm = await StartWithPolicyAsync();
        arm.Inject(GroupPut, new Fault.Status(status, code, RetryAfterSeconds: 1));

        var result = await ApplyAsync(arm, Request(Desired()));

        Assert.Equal(FirewallAction.Create, result.ActionValue);
        Assert.Equal(2, arm.Writes.Count(GroupPut));
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_and_the_conditional_write_cannot_apply_twice()
    {
        await using var arm = await StartWithPolicyAsync();
        arm.Inject(GroupPut, new Fault.DropConnection());
        var result = await ApplyAsync(arm, Request(Desired()));
        Assert.Equal(FirewallAction.Create, result.ActionValue);
        Assert.NotNull(arm.Get(GroupPath));
    }

    [Fact]
    public async Task A_connection_that_keeps_dropping_is_named_as_unreachable()
    {
        await using var arm = await StartWithPolicyAsync();
        for (var i = 0; i < 10; i++)
        {
            arm.Inject(GroupPut, new Fault.DropConnection());
        }

        var error = await Assert.ThrowsAsync<FirewallApplyException>(() => new FirewallPolicyApplier(Store(arm, maxRetries: 2)).ApplyAsync(Request(Desired()), null, CancellationToken.None));
        Assert.Equal(("ArmUnreachable", FailureKind.Failed), (error.ErrorId, error.Kind));
        Assert.Null(arm.Get(GroupPath));
    }

    [Fact]
    public async Task A_long_running_operation_is_polled_to_its_end()
    {
        await using var arm = await StartWithPolicyAsync();
        arm.Inject(GroupPut, new Fault.SlowOperation(Polls: 4));
        var result = await ApplyAsync(arm, Request(Desired()));
        Assert.Equal("Succeeded", result.ProvisioningState);
        Assert.Equal(4, arm.Requests.Count(r => r.Path.Contains("/operations/")));
    }

    [Fact]
    public async Task An_operation_that_ends_failed_is_an_error_with_arms_message_and_the_old_group_stays()
    {
        await using var arm = await StartWithPolicyAsync();
        await ApplyAsync(arm, Request(Desired()));
        var before = arm.Get(GroupPath)!.ToJsonString();
        arm.Inject(GroupPut, new Fault.OperationFails("Rule collection group update failed: quota exceeded."));

        var error = await Assert.ThrowsAsync<FirewallApplyException>(() => ApplyAsync(arm, Request(Desired(AksFeature.Gpu))));

        Assert.Contains("quota exceeded", error.Message);
        Assert.Equal(before, arm.Get(GroupPath)!.ToJsonString());
    }

    [Theory]
    [InlineData(403, "AuthorizationFailed", "AuthorizationFailed")]
    [InlineData(401, "InvalidAuthenticationToken", "AuthenticationFailed")]
    public async Task Permission_and_authentication_failures_are_named_and_nothing_is_written(int status, string code, string errorId)
    {
        await using var arm = await StartWithPolicyAsync();
        arm.Inject(r => r.Method == "GET" && r.Path == PolicyPath, new Fault.Status(status, code));
        var error = await Assert.ThrowsAsync<FirewallApplyException>(() => ApplyAsync(arm, Request(Desired())));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Empty(arm.Writes);
    }

    [Fact]
    public async Task A_missing_resource_group_is_named_and_nothing_is_written()
    {
        await using var arm = await ArmEmulator.StartAsync();
        var error = await Assert.ThrowsAsync<FirewallApplyException>(() => ApplyAsync(arm, Request(Desired()) with { PolicyLocation = "westeurope" }));
        Assert.Equal(("ResourceGroupNotFound", FailureKind.NotFound), (error.ErrorId, error.Kind));
        Assert.Empty(arm.Writes);
    }

    [Fact]
    public async Task A_missing_policy_without_a_location_is_named_and_nothing_is_written()
    {
        await using var arm = await ArmEmulator.StartAsync();
        arm.AddResourceGroup(Subscription, ResourceGroup);
        var error = await Assert.ThrowsAsync<FirewallApplyException>(() => ApplyAsync(arm, Request(Desired())));
        Assert.Equal("PolicyNotFound", error.ErrorId);
        Assert.Empty(arm.Writes);
    }

    [Fact]
    public async Task A_priority_used_by_another_group_is_refused_before_writing()
    {
        await using var arm = await StartWithPolicyAsync();
        arm.Seed(PolicyPath + "/ruleCollectionGroups/other", JsonNode.Parse("""{ "properties": { "priority": 500, "ruleCollections": [] } }""")!.AsObject());
        var error = await Assert.ThrowsAsync<FirewallApplyException>(() => ApplyAsync(arm, Request(Desired())));
        Assert.Equal("PriorityInUse", error.ErrorId);
        Assert.Contains("other", error.Message);
        Assert.Empty(arm.Writes);
    }

    [Fact]
    public async Task Fqdn_network_rules_without_dns_proxy_are_refused_with_the_fix()
    {
        await using var arm = await StartWithPolicyAsync(dnsProxy: false);
        var error = await Assert.ThrowsAsync<FirewallApplyException>(() => ApplyAsync(arm, Request(Desired(includeOptional: true))));
        Assert.Equal("DnsProxyRequired", error.ErrorId);
        Assert.Contains("-EnableDnsProxy", error.Message);
        Assert.Contains("pub.core.ntp-udp-123", error.Message);
        Assert.Empty(arm.Writes);
    }

    [Fact]
    public async Task Two_concurrent_applies_converge_on_one_whole_group()
    {
        await using var arm = await StartWithPolicyAsync();
        var gpu = Desired(AksFeature.Gpu);
        var windows = Desired(AksFeature.Windows);
        var results = await Task.WhenAll(ApplyAsync(arm, Request(gpu)), ApplyAsync(arm, Request(windows)));

        Assert.All(results, r => Assert.True(r.Attempts >= 1));
        var stored = Firewall.RuleCollectionGroupJson.Parse(arm.Get(GroupPath)!);
        Assert.True(Firewall.RuleCollectionGroupDiff.Compare(gpu, stored).InSync || Firewall.RuleCollectionGroupDiff.Compare(windows, stored).InSync);
    }

    [Fact]
    public async Task Every_body_this_module_writes_passes_the_spec_validation_and_invalid_ones_are_refused()
    {
        var all = Enum.GetValues<AksFeature>();
        Assert.Null(ArmEmulator.ValidateGroup(Firewall.RuleCollectionGroupJson.ToRequestBody(Desired(includeOptional: true, all))));
        var bad = Firewall.RuleCollectionGroupJson.ToRequestBody(Desired());
        bad["properties"]!["priority"] = 99;
        Assert.NotNull(ArmEmulator.ValidateGroup(bad));

        await using var arm = await StartWithPolicyAsync();
        var store = Store(arm);
        // The store speaks the module's errors: ARM's 400 is InvalidRequest, with ARM's status in the message.
        var error = await Assert.ThrowsAsync<FirewallApplyException>(() =>
            store.PutGroupAsync(PolicyId, Desired() with { Priority = 99 }, null, CancellationToken.None));
        Assert.Equal("InvalidRequest", error.ErrorId);
        Assert.Contains("(400 ", error.Message);
    }
}

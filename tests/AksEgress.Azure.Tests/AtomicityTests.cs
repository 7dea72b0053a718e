using System.Text.Json.Nodes;
using AksEgress.Catalog;
using AksEgress.Emulation;
using AksEgress.Firewall;
using static AksEgress.Azure.Tests.TestArm;

namespace AksEgress.Azure.Tests;

/// <summary>Whatever fails, the policy holds the old group or the new one, whole, and no other group changes.</summary>
public class AtomicityTests
{
    private static bool GroupPut(RecordedRequest r) => r.Method == "PUT" && r.Path == GroupPath;

    public static TheoryData<string, Fault, int> Faults => new()
    {
        { "one 412", new Fault.Status(412, "PreconditionFailed"), 1 },
        { "412 on every attempt", new Fault.Status(412, "PreconditionFailed"), 10 },
        { "409 beyond the retries", new Fault.Status(409, "AnotherOperationInProgress", 0), 10 },
        { "429 beyond the retries", new Fault.Status(429, "TooManyRequests", 0), 10 },
        { "500 beyond the retries", new Fault.Status(500, "InternalServerError", 0), 10 },
        { "400 from ARM", new Fault.Status(400, "InvalidRequestContent"), 1 },
        { "dropped connections", new Fault.DropConnection(), 10 },
        { "operation ends Failed", new Fault.OperationFails("Failed."), 1 },
        { "slow operation", new Fault.SlowOperation(5), 1 },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task After_a_fault_the_group_is_old_or_new_and_other_groups_are_untouched(string name, Fault fault, int times)
    {
        await using var arm = await StartWithPolicyAsync();
        var other = PolicyPath + "/ruleCollectionGroups/hand-written";
        arm.Seed(other, JsonNode.Parse("""{ "properties": { "priority": 200, "ruleCollections": [] } }""")!.AsObject());
        var otherBefore = arm.Get(other)!.ToJsonString();
        var old = Desired();
        var @new = Desired(AksFeature.Gpu, AksFeature.AzurePolicy);
        await ApplyAsync(arm, Request(old));
        for (var i = 0; i < times; i++)
        {
            arm.Inject(GroupPut, fault);
        }

        try
        {
            await new FirewallPolicyApplier(Store(arm, maxRetries: 2)).ApplyAsync(Request(@new), null, CancellationToken.None);
        }
        catch (FirewallApplyException)
        {
            // the failure is the point; what matters is what is stored
        }

        var stored = RuleCollectionGroupJson.Parse(arm.Get(GroupPath)!);
        Assert.True(RuleCollectionGroupDiff.Compare(old, stored).InSync || RuleCollectionGroupDiff.Compare(@new, stored).InSync, name);
        Assert.Equal(otherBefore, arm.Get(other)!.ToJsonString());
    }

    [Fact]
    public async Task Cancelling_while_the_operation_runs_stops_waiting_and_leaves_the_old_group()
    {
        await using var arm = await StartWithPolicyAsync();
        var old = Desired();
        await ApplyAsync(arm, Request(old));
        arm.Inject(GroupPut, new Fault.SlowOperation(Polls: 100_000));
        using var cancel = new CancellationTokenSource();
        var apply = new FirewallPolicyApplier(Store(arm)).ApplyAsync(Request(Desired(AksFeature.Gpu)), null, cancel.Token);
        while (!arm.Requests.Any(r => r.Path.Contains("/operations/")))
        {
            await Task.Delay(10);
        }

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => apply);
        Assert.True(RuleCollectionGroupDiff.Compare(old, RuleCollectionGroupJson.Parse(arm.Get(GroupPath)!)).InSync);
    }
}

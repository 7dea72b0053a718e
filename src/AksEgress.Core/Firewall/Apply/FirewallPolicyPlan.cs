using System.Text;

namespace AksEgress.Firewall;

/// <summary>What applying would do, read from the policy as it is now.</summary>
public sealed record FirewallPolicyPlan
{
    public required string PolicyId { get; init; }
    public required string PolicyName { get; init; }
    public required FirewallRuleCollectionGroup Desired { get; init; }
    public FirewallPolicyInfo? Policy { get; init; }
    public StoredRuleCollectionGroup? Current { get; init; }
    public required RuleCollectionGroupDiff Diff { get; init; }
    /// <summary>The policy does not exist and will be created (with DNS proxy on) in this location.</summary>
    public string? CreatePolicyIn { get; init; }
    /// <summary>DNS proxy will be turned on in the existing policy.</summary>
    public bool EnableDnsProxy { get; init; }

    public FirewallAction Action => Diff.InSync ? FirewallAction.None : Current is null ? FirewallAction.Create : FirewallAction.Update;

    public string GroupId => $"{PolicyId}/ruleCollectionGroups/{Desired.Name}";

    /// <summary>The plan in a few lines: what -WhatIf and -Verbose show.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        if (CreatePolicyIn is not null)
        {
            text.Append("create firewall policy ").Append(PolicyName).Append(" in ").Append(CreatePolicyIn).Append(" with DNS proxy on\n");
        }

        if (EnableDnsProxy)
        {
            text.Append("turn DNS proxy on in firewall policy ").Append(PolicyName).Append('\n');
        }

        text.Append(Action switch
        {
            FirewallAction.None => $"rule collection group {Desired.Name} is in sync: no change",
            FirewallAction.Create => $"create rule collection group {Desired.Name} (priority {Desired.Priority}) with {Diff.RuleChanges.Count} rules",
            _ => $"update rule collection group {Desired.Name}: {Count(RuleChangeKind.Added)} to add, {Count(RuleChangeKind.Changed)} to change, {Count(RuleChangeKind.Removed)} to remove",
        });
        foreach (var change in Diff.GroupChanges.Where(c => Action is FirewallAction.Update))
        {
            text.Append("\n  ").Append(change);
        }

        foreach (var change in Diff.RuleChanges)
        {
            text.Append("\n  ").Append(change);
        }

        return text.ToString();
    }

    private int Count(RuleChangeKind kind) => Diff.RuleChanges.Count(c => c.ChangeValue == kind);
}

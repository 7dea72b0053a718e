
namespace AksEgress.Firewall;

/// <summary>What applying did: the action taken, the changes written, and the group's ETag and state afterwards.</summary>
public sealed record FirewallApplyResult
{
    public required string PolicyId { get; init; }
    public required string RuleCollectionGroup { get; init; }
    /// <summary>None, Create or Update (a string, so that ConvertTo-Json and Export-Csv write the name).</summary>
    public string Action => ActionValue.ToString();
    public bool PolicyCreated { get; init; }
    /// <summary>Whether DNS proxy is on in the policy after the call (whoever turned it on).</summary>
    public bool DnsProxyEnabled { get; init; }
    public DisplayList<RuleChange> Changes { get; init; } = DisplayList<RuleChange>.Empty;
    public string? ETag { get; init; }
    public string? ProvisioningState { get; init; }
    /// <summary>How many plans it took: more than one when another writer changed the group meanwhile.</summary>
    public int Attempts { get; init; }

    internal FirewallAction ActionValue { get; init; }
}

using AksEgress.Firewall;

namespace AksEgress.Azure;

/// <summary>What applying did: the action taken, the changes written, and the group's ETag and state afterwards.</summary>
public sealed record FirewallApplyResult
{
    public required string PolicyId { get; init; }
    public required string RuleCollectionGroup { get; init; }
    public FirewallAction Action { get; init; }
    public bool PolicyCreated { get; init; }
    public bool DnsProxyEnabled { get; init; }
    public IReadOnlyList<RuleChange> Changes { get; init; } = [];
    public string? ETag { get; init; }
    public string? ProvisioningState { get; init; }
    /// <summary>How many plans it took: more than one when another writer changed the group meanwhile.</summary>
    public int Attempts { get; init; }
}

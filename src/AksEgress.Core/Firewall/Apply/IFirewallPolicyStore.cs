using System.Text.Json.Nodes;

namespace AksEgress.Firewall;

/// <summary>
/// Reads and writes firewall policies and their rule collection groups: the one seam between the write workflow
/// (<see cref="FirewallPolicyApplier"/>, here in Core) and ARM, free of Azure SDK types. The implementation only moves
/// JSON: a conditional write that finds the resource changed throws <see cref="FirewallPreconditionFailedException"/>,
/// every other failure a <see cref="FirewallApplyException"/> with the module's ErrorId.
/// </summary>
public interface IFirewallPolicyStore
{
    /// <summary>The policy, or null when it does not exist (a missing resource group is an error).</summary>
    Task<FirewallPolicyInfo?> GetPolicyAsync(FirewallPolicyId policyId, CancellationToken cancellationToken);

    /// <summary>Creates (<paramref name="ifMatch"/> null: only if absent) or replaces (only if the ETag still matches) the policy.</summary>
    Task<FirewallPolicyInfo> PutPolicyAsync(FirewallPolicyId policyId, JsonObject policy, string? ifMatch, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredRuleCollectionGroup>> ListGroupsAsync(FirewallPolicyId policyId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates (<paramref name="ifMatch"/> null: only if absent) or replaces (only if the ETag still matches) one group,
    /// and waits for the long-running operation to end.
    /// </summary>
    Task<StoredRuleCollectionGroup> PutGroupAsync(FirewallPolicyId policyId, FirewallRuleCollectionGroup group, string? ifMatch, CancellationToken cancellationToken);

    /// <summary>
    /// A Microsoft.Network resource (an IP group, an Azure Firewall, a subnet, a route table) as ARM returns it; null
    /// when it does not exist. An id that is not a Microsoft.Network resource's is refused (InvalidResourceId) before
    /// anything is sent.
    /// </summary>
    Task<JsonObject?> GetNetworkResourceAsync(string resourceId, CancellationToken cancellationToken);
}

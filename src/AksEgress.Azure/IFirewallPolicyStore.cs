using System.Text.Json.Nodes;
using global::Azure.Core;
using AksEgress.Firewall;

namespace AksEgress.Azure;

/// <summary>
/// Reads and writes firewall policies and their rule collection groups. The one seam to ARM: swapping to the
/// Azure.ResourceManager.Network SDK means another implementation of this interface, nothing else.
/// Failures surface as Azure.RequestFailedException (HTTP status and ARM error code).
/// </summary>
public interface IFirewallPolicyStore
{
    /// <summary>The policy, or null when it does not exist (a missing resource group is an error).</summary>
    Task<FirewallPolicyInfo?> GetPolicyAsync(ResourceIdentifier policyId, CancellationToken cancellationToken);

    /// <summary>Creates (<paramref name="ifMatch"/> null: only if absent) or replaces (only if the ETag still matches) the policy.</summary>
    Task<FirewallPolicyInfo> PutPolicyAsync(ResourceIdentifier policyId, JsonObject policy, string? ifMatch, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredRuleCollectionGroup>> ListGroupsAsync(ResourceIdentifier policyId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates (<paramref name="ifMatch"/> null: only if absent) or replaces (only if the ETag still matches) one group,
    /// and waits for the long-running operation to end. A precondition failure is HTTP 412.
    /// </summary>
    Task<StoredRuleCollectionGroup> PutGroupAsync(ResourceIdentifier policyId, FirewallRuleCollectionGroup group, string? ifMatch, CancellationToken cancellationToken);
}

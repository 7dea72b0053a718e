
namespace AksEgress.Firewall;

/// <summary>Write <see cref="Desired"/> into the policy <see cref="PolicyId"/>.</summary>
public sealed record FirewallApplyRequest
{
    /// <summary>The firewall policy's resource id (ArmSession.ResolvePolicyId gives the canonical form).</summary>
    public required string PolicyId { get; init; }
    public required FirewallRuleCollectionGroup Desired { get; init; }
    /// <summary>Where to create the policy when it does not exist; null means a missing policy is an error.</summary>
    public string? PolicyLocation { get; init; }
    /// <summary>Turn DNS proxy on in an existing policy when network rules with FQDNs need it.</summary>
    public bool EnableDnsProxy { get; init; }
    /// <summary>Overwrite a group of the same name that this module did not write.</summary>
    public bool Force { get; init; }
    /// <summary>How many times to re-read and re-plan after another writer changed the group (HTTP 412).</summary>
    public int MaxAttempts { get; init; } = 3;
}

namespace AksEgress.NetworkPolicy;

/// <summary>One problem found in the manifests. <see cref="Finding.Code"/> is stable and documented in docs/findings.md.</summary>
public sealed record NetworkPolicyFinding : Finding
{
    /// <summary>namespace/name of the policy, when the finding is about one.</summary>
    public string? Policy { get; init; }
    /// <summary>The policy engine the finding is about, for engine-compatibility findings.</summary>
    public string? Engine { get; init; }

    public override string? Target => Policy;

    public override string ToString() => base.ToString();
}

namespace AksEgress.NetworkPolicy;

/// <summary>
/// A NetworkPolicy (networking.k8s.io/v1) as the reachability engine uses it. The policy types are the effective
/// ones: Ingress always, unless policyTypes says otherwise; Egress when listed, or when egress rules are present.
/// </summary>
public sealed record KubernetesNetworkPolicy
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required LabelSelector PodSelector { get; init; }
    public bool IsolatesIngress { get; init; }
    public bool IsolatesEgress { get; init; }
    public IReadOnlyList<PolicyRule> Ingress { get; init; } = [];
    public IReadOnlyList<PolicyRule> Egress { get; init; } = [];
    /// <summary>policyTypes as written (empty when absent).</summary>
    public IReadOnlyList<string> PolicyTypes { get; init; } = [];
    public required SourceSpan Source { get; init; }

    public string Id => $"{Namespace}/{Name}";

    public override string ToString() => Id;
}

namespace AksEgress.NetworkPolicy;

/// <summary>What a set of manifests holds: the policies, the workloads and namespaces they apply to, findings, and what was skipped.</summary>
public sealed record ManifestSet(
    IReadOnlyList<KubernetesNetworkPolicy> Policies,
    IReadOnlyList<WorkloadPod> Pods,
    IReadOnlyList<NamespaceInfo> Namespaces,
    IReadOnlyList<NetworkPolicyFinding> Findings,
    IReadOnlyList<string> Skipped)
{
    public static readonly ManifestSet Empty = new([], [], [], [], []);

    public ManifestSet Merge(ManifestSet other) => new(
        [.. Policies, .. other.Policies], [.. Pods, .. other.Pods], [.. Namespaces, .. other.Namespaces],
        [.. Findings, .. other.Findings], [.. Skipped, .. other.Skipped]);
}

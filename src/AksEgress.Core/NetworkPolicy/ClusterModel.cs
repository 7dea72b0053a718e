namespace AksEgress.NetworkPolicy;

/// <summary>The pods, namespaces and policies read from a set of manifests. Namespaces only referred to exist implicitly.</summary>
public sealed class ClusterModel
{
    private readonly Dictionary<string, NamespaceInfo> _namespaces;

    public ClusterModel(IEnumerable<WorkloadPod> pods, IEnumerable<NamespaceInfo> namespaces, IEnumerable<KubernetesNetworkPolicy> policies)
    {
        Pods = pods.ToList();
        Policies = policies.ToList();
        _namespaces = namespaces.GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.Last());
        foreach (var name in Pods.Select(p => p.Namespace).Concat(Policies.Select(p => p.Namespace)).Distinct().Where(n => !_namespaces.ContainsKey(n)).ToList())
        {
            _namespaces[name] = NamespaceInfo.Implicit(name);
        }
    }

    public static ClusterModel From(ManifestSet set) => new(set.Pods, set.Namespaces, set.Policies);

    public IReadOnlyList<WorkloadPod> Pods { get; }
    public IReadOnlyList<KubernetesNetworkPolicy> Policies { get; }
    public IEnumerable<NamespaceInfo> Namespaces => _namespaces.Values;

    public IReadOnlyDictionary<string, string> NamespaceLabels(string name) =>
        _namespaces.TryGetValue(name, out var ns) ? ns.Labels : NamespaceInfo.Implicit(name).Labels;
}

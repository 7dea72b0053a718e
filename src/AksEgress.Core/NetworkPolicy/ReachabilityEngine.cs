using System.Net;

namespace AksEgress.NetworkPolicy;

/// <summary>
/// Kubernetes NetworkPolicy semantics, evaluated directly: a connection needs the source's egress and the
/// destination's ingress. A pod selected by no policy for a direction is open in that direction; a selected one is
/// open only to what some rule of those policies allows (rules of all selecting policies are ORed).
/// This is the reference evaluator; the matrix uses the same decisions on classes of equivalent pods.
/// </summary>
public sealed class ReachabilityEngine
{
    private readonly ClusterModel _cluster;
    private readonly PolicyEngine? _engine;
    private readonly Dictionary<string, NamespacePolicies> _policies = new(StringComparer.Ordinal);
    /// <param name="kubernetesVersion">With Cilium: before AKS Kubernetes 1.32 (Cilium 1.17) endPort is not enforced, only port.</param>
    public ReachabilityEngine(ClusterModel cluster, PolicyEngine? engine = null, Version? kubernetesVersion = null)
    {
        _cluster = cluster;
        _engine = engine;
        foreach (var policy in cluster.Policies)
        {
            if (!_policies.TryGetValue(policy.Namespace, out var inNamespace))
            {
                _policies[policy.Namespace] = inNamespace = new NamespacePolicies();
            }

            inNamespace.File(policy);
        }

        HonoursEndPort = !(engine is PolicyEngine.Cilium && kubernetesVersion is not null && kubernetesVersion < EngineCompatibility.CiliumEndPortKubernetes);
    }

    /// <summary>False on Cilium older than 1.17 (AKS Kubernetes 1.32), which opens only the first port of a range.</summary>
    public bool HonoursEndPort { get; }

    /// <summary>Traffic from <paramref name="from"/> (a pod, or an address outside the cluster) to <paramref name="to"/>.</summary>
    public ReachabilityVerdict Evaluate(Endpoint from, Endpoint to, int port, string protocol = "TCP")
    {
        var allowedBy = new List<string>();
        var deniedBy = new List<string>();
        var reasons = new List<string>();

        var egressOk = from.Pod is not { } source || Direction(source, isIngress: false, x => PeerMatches(x.Policy, x.Peer, to), rule => PortMatches(rule, port, protocol, to.Pod, HonoursEndPort), allowedBy, deniedBy, reasons);
        var ingressOk = to.Pod is not { } destination || Direction(destination, isIngress: true, x => PeerMatches(x.Policy, x.Peer, from), rule => PortMatches(rule, port, protocol, destination, HonoursEndPort), allowedBy, deniedBy, reasons);
        var allowed = egressOk && ingressOk;
        return new ReachabilityVerdict
        {
            From = from.ToString(), To = to.ToString(), Port = port, Protocol = protocol, Allowed = allowed, EgressAllowed = egressOk, IngressAllowed = ingressOk,
            Reason = (allowed ? "Allowed: " : "Denied: ") + string.Join("; ", reasons) + ".",
            AllowedBy = allowedBy, DeniedBy = deniedBy, Engine = _engine?.ToString(),
        };
    }

    /// <summary>The policies that isolate <paramref name="pod"/> in a direction (on this engine).</summary>
    public IEnumerable<KubernetesNetworkPolicy> Isolating(WorkloadPod pod, bool isIngress)
    {
        if (pod.HostNetwork && _engine is PolicyEngine.Cilium)
        {
            return [];
        }

        var candidates = _policies.TryGetValue(pod.Namespace, out var inNamespace) ? inNamespace.Candidates(pod.Labels) : [];
        return candidates.Where(p => (isIngress ? p.IsolatesIngress : p.IsolatesEgress) && p.PodSelector.Matches(pod.Labels));
    }

    private bool Direction(WorkloadPod pod, bool isIngress, Func<(KubernetesNetworkPolicy Policy, PolicyPeer Peer), bool> peerMatches, Func<PolicyPort, bool> portMatches,
        List<string> allowedBy, List<string> deniedBy, List<string> reasons)
    {
        var direction = isIngress ? "ingress" : "egress";
        var policies = Isolating(pod, isIngress).ToList();
        if (policies.Count == 0)
        {
            reasons.Add(pod.HostNetwork && _engine is PolicyEngine.Cilium
                ? $"{direction} of {pod} is not filtered: Cilium does not apply policies to hostNetwork pods"
                : $"{direction} of {pod} is not isolated by any policy");
            return true;
        }

        var matched = new List<string>();
        foreach (var policy in policies)
        {
            var rules = isIngress ? policy.Ingress : policy.Egress;
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                if ((rule.AllowsAllPeers || rule.Peers.Any(peer => peerMatches((policy, peer)))) && (rule.AllowsAllPorts || rule.Ports.Any(portMatches)))
                {
                    matched.Add($"{policy.Id}:{direction}[{i}]");
                }
            }
        }

        if (matched.Count > 0)
        {
            allowedBy.AddRange(matched);
            reasons.Add($"{direction} of {pod} allowed by {string.Join(", ", matched)}");
            return true;
        }

        deniedBy.AddRange(policies.Select(p => p.Id));
        reasons.Add($"{pod} is isolated for {direction} by {string.Join(", ", policies.Select(p => p.Id))} and no {direction} rule matches");
        return false;
    }

    /// <summary>Whether a peer of <paramref name="policy"/> matches the other end of the connection (on this engine).</summary>
    public bool PeerMatches(KubernetesNetworkPolicy policy, PolicyPeer peer, Endpoint other)
    {
        if (peer.IpBlock is { } block)
        {
            // Cilium does not match pod (or node) addresses with ipBlock: only traffic to and from outside the cluster.
            var ip = other.Pod is { } pod ? (_engine is PolicyEngine.Cilium ? null : pod.Ip) : other.Address;
            return ip is not null && block.Contains(ip);
        }

        if (other.Pod is not { } target)
        {
            return false;
        }

        var inNamespace = peer.NamespaceSelector is { } ns ? ns.Matches(_cluster.NamespaceLabels(target.Namespace)) : target.Namespace == policy.Namespace;
        return inNamespace && (peer.PodSelector?.Matches(target.Labels) ?? true);
    }

    /// <summary>Protocol (TCP by default) and port: a number, a range up to endPort, or a name resolved on the destination pod by name and protocol.</summary>
    public static bool PortMatches(PolicyPort rule, int port, string protocol, WorkloadPod? destination, bool honourEndPort = true)
    {
        if (!string.Equals(rule.Protocol, protocol, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (rule.PortName is { } name)
        {
            return destination is not null && destination.Ports.Any(p => p.Name == name && string.Equals(p.Protocol, protocol, StringComparison.OrdinalIgnoreCase) && p.Port == port);
        }

        return rule.Port is not { } first || (port >= first && port <= ((honourEndPort ? rule.EndPort : null) ?? first));
    }

    /// <summary>
    /// The policies of a namespace, in order, each also filed (by its position) under the first label every pod it
    /// selects carries (<see cref="LabelSelector.NecessaryLabels"/>), or as unfiled: the policies that may select a pod
    /// are those filed under its labels and keys, and the unfiled ones, not every policy of the namespace.
    /// </summary>
    private sealed class NamespacePolicies
    {
        /// <summary>Up to this many policies, trying each is cheaper than the index.</summary>
        private const int Few = 16;
        private readonly List<KubernetesNetworkPolicy> _policies = [];
        private readonly List<int> _unfiled = [];
        private readonly Dictionary<(string Key, string Value), List<int>> _byLabel = [];
        private readonly Dictionary<string, List<int>> _byKey = new(StringComparer.Ordinal);

        public void File(KubernetesNetworkPolicy policy)
        {
            var index = _policies.Count;
            _policies.Add(policy);
            var (key, value) = policy.PodSelector.NecessaryLabels().FirstOrDefault();
            var list = key is null ? _unfiled : value is null ? _byKey.ListFor(key) : _byLabel.ListFor((key, value));
            list.Add(index);
        }

        public IEnumerable<KubernetesNetworkPolicy> Candidates(IReadOnlyDictionary<string, string> labels)
        {
            if (_policies.Count <= Few)
            {
                return _policies;
            }

            var candidates = new List<int>(_unfiled);
            foreach (var label in labels)
            {
                candidates.AddRange(_byLabel.TryGetValue((label.Key, label.Value), out var filed) ? filed : []);
                candidates.AddRange(_byKey.TryGetValue(label.Key, out var keyed) ? keyed : []);
            }

            candidates.Sort();
            return candidates.Select(i => _policies[i]);
        }
    }
}

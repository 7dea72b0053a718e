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
    private readonly ILookup<string, KubernetesNetworkPolicy> _policiesByNamespace;

    /// <param name="kubernetesVersion">With Cilium: before AKS Kubernetes 1.32 (Cilium 1.17) endPort is not enforced, only port.</param>
    public ReachabilityEngine(ClusterModel cluster, PolicyEngine? engine = null, Version? kubernetesVersion = null)
    {
        _cluster = cluster;
        _engine = engine;
        _policiesByNamespace = cluster.Policies.ToLookup(p => p.Namespace);
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
    public IEnumerable<KubernetesNetworkPolicy> Isolating(WorkloadPod pod, bool isIngress) =>
        pod.HostNetwork && _engine is PolicyEngine.Cilium
            ? []
            : _policiesByNamespace[pod.Namespace].Where(p => (isIngress ? p.IsolatesIngress : p.IsolatesEgress) && p.PodSelector.Matches(pod.Labels));

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
}

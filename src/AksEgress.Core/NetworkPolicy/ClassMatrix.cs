using System.Collections;

namespace AksEgress.NetworkPolicy;

/// <summary>
/// The connectivity matrix computed on classes of equivalent pods instead of pod pairs. Pods with the same
/// namespace, labels, declared ports, hostNetwork and the same ipBlocks containing their address are decided alike by
/// every policy, so each class is evaluated once. Each rule's peers become a bit set over classes; each rule's ports
/// become, per destination class, a bit mask over the ports that class is asked about (its declared ports, or -Port).
/// A cell is the egress mask of the source AND the ingress mask of the destination.
/// </summary>
public sealed class ClassMatrix
{
    private readonly List<List<WorkloadPod>> _classes;
    private readonly List<(int Port, string Protocol)>[] _candidates;
    private readonly ulong[] _allowed;

    private ClassMatrix(List<List<WorkloadPod>> classes, List<(int, string)>[] candidates, ulong[] allowed)
    {
        _classes = classes;
        _candidates = candidates;
        _allowed = allowed;
    }

    public int ClassCount => _classes.Count;

    public static ClassMatrix Compute(ClusterModel cluster, PolicyEngine? engine, int? port, string protocol = "TCP", Version? kubernetesVersion = null, CancellationToken cancellationToken = default)
    {
        // Pods differ for ipBlocks only by which blocks hold their address; blocks are compared by what they contain.
        var ipBlocks = engine is PolicyEngine.Cilium ? [] : cluster.Policies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Peers)
            .Where(p => p.IpBlock is not null).Select(p => p.IpBlock!).GroupBy(b => b.ToString()).Select(g => g.First()).ToList();
        var classes = cluster.Pods
            .GroupBy(pod => ClassKey(pod, ipBlocks))
            .Select(g => g.ToList()).ToList();
        var count = classes.Count;
        var representatives = classes.Select(c => c[0]).ToArray();
        var endpoints = representatives.Select(Endpoint.Of).ToArray();
        var candidates = representatives.Select(r => port is { } p ? [(p, protocol)] : r.Ports.Select(c => (c.Port, c.Protocol)).Distinct().Take(64).ToList()).ToArray();
        var full = candidates.Select(c => c.Count == 64 ? ulong.MaxValue : (1UL << c.Count) - 1).ToArray();

        // Per rule: the classes its peers match, and per destination class the candidate ports it allows.
        var evaluator = new ReachabilityEngine(cluster, engine, kubernetesVersion);
        var rules = new Dictionary<PolicyRule, (BitArray Peers, ulong[] Ports)>();
        (BitArray Peers, ulong[] Ports) Compiled(KubernetesNetworkPolicy policy, PolicyRule rule)
        {
            if (!rules.TryGetValue(rule, out var compiled))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var peers = new BitArray(count, rule.AllowsAllPeers);
                if (!rule.AllowsAllPeers)
                {
                    for (var c = 0; c < count; c++)
                    {
                        foreach (var peer in rule.Peers)
                        {
                            if (evaluator.PeerMatches(policy, peer, endpoints[c]))
                            {
                                peers[c] = true;
                                break;
                            }
                        }
                    }
                }

                var ports = new ulong[count];
                for (var d = 0; d < count; d++)
                {
                    for (var k = 0; k < candidates[d].Count; k++)
                    {
                        var (candidatePort, candidateProtocol) = candidates[d][k];
                        var matched = rule.AllowsAllPorts;
                        for (var i = 0; !matched && i < rule.Ports.Count; i++)
                        {
                            matched = ReachabilityEngine.PortMatches(rule.Ports[i], candidatePort, candidateProtocol, representatives[d], evaluator.HonoursEndPort);
                        }

                        if (matched)
                        {
                            ports[d] |= 1UL << k;
                        }
                    }
                }

                rules[rule] = compiled = (peers, ports);
            }

            return compiled;
        }

        var egress = representatives.Select(r => evaluator.Isolating(r, isIngress: false).ToList()).ToArray();
        var ingressPolicies = representatives.Select(r => evaluator.Isolating(r, isIngress: true).ToList()).ToArray();
        var ingress = ingressPolicies.Select(policies => policies.SelectMany(p => p.Ingress.Select(rule => Compiled(p, rule))).ToList()).ToArray();
        var ingressIsolated = ingressPolicies.Select(policies => policies.Count > 0).ToArray();

        var allowed = new ulong[count * count];
        var row = new ulong[count];
        for (var s = 0; s < count; s++)
        {
            if (egress[s].Count == 0)
            {
                Array.Copy(full, row, count);
            }
            else
            {
                Array.Clear(row, 0, count);
                foreach (var (policy, rule) in egress[s].SelectMany(p => p.Egress.Select(r => (p, r))))
                {
                    var (peers, ports) = Compiled(policy, rule);
                    for (var d = 0; d < count; d++)
                    {
                        if (peers[d])
                        {
                            row[d] |= ports[d];
                        }
                    }
                }
            }

            for (var d = 0; d < count; d++)
            {
                var inMask = full[d];
                if (ingressIsolated[d])
                {
                    inMask = 0;
                    foreach (var (peers, ports) in ingress[d])
                    {
                        if (peers[s])
                        {
                            inMask |= ports[d];
                        }
                    }
                }

                allowed[(s * count) + d] = row[d] & inMask;
            }
        }

        return new ClassMatrix(classes, candidates, allowed);
    }

    /// <summary>The matrix for every ordered pair of distinct pods whose destination has ports to ask about.</summary>
    public IEnumerable<ConnectivityEntry> Entries()
    {
        for (var d = 0; d < _classes.Count; d++)
        {
            if (_candidates[d].Count == 0)
            {
                continue;
            }

            foreach (var to in _classes[d])
            {
                for (var s = 0; s < _classes.Count; s++)
                {
                    var mask = _allowed[(s * _classes.Count) + d];
                    var allowedPorts = _candidates[d].Where((_, k) => (mask & (1UL << k)) != 0).Select(c => $"{c.Protocol}/{c.Port}").ToList();
                    var deniedPorts = _candidates[d].Where((_, k) => (mask & (1UL << k)) == 0).Select(c => $"{c.Protocol}/{c.Port}").ToList();
                    foreach (var from in _classes[s].Where(f => f != to))
                    {
                        yield return new ConnectivityEntry { From = from.Id, To = to.Id, Allowed = mask != 0, AllowedPorts = allowedPorts, DeniedPorts = deniedPorts };
                    }
                }
            }
        }
    }

    /// <summary>How many ordered pod pairs are allowed on at least one evaluated port (without expanding the matrix).</summary>
    public long AllowedPairs()
    {
        long total = 0;
        for (var s = 0; s < _classes.Count; s++)
        {
            for (var d = 0; d < _classes.Count; d++)
            {
                if (_allowed[(s * _classes.Count) + d] != 0)
                {
                    total += (long)_classes[s].Count * _classes[d].Count - (s == d ? _classes[s].Count : 0);
                }
            }
        }

        return total;
    }

    private static string ClassKey(WorkloadPod pod, List<IpBlock> ipBlocks)
    {
        var address = pod.Ip?.GetAddressBytes();
        return string.Join("\u0001",
            pod.Namespace, pod.HostNetwork,
            string.Join(",", pod.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)),
            string.Join(",", pod.Ports.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}")),
            address is null ? "" : string.Join(",", ipBlocks.Select((block, i) => block.Contains(address) ? i : -1).Where(i => i >= 0)));
    }
}

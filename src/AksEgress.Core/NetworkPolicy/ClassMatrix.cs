using System.Runtime.CompilerServices;
using System.Text;

namespace AksEgress.NetworkPolicy;

/// <summary>
/// The connectivity matrix computed on classes of equivalent pods instead of pod pairs. Pods are grouped by what the
/// policies can tell apart (<see cref="Classes"/>): the same namespace, declared ports, hostNetwork and ipBlocks holding
/// their address, and the same answer from every pod selector in use. Every policy decides such pods alike, so each
/// class is evaluated once. Each rule's peers become a bit set over classes; each rule's ports become, per destination
/// class, a bit mask over the ports that class is asked about (its declared ports, or -Port); each bit is worked out
/// when a row first needs it. A cell is the egress mask of the source AND the ingress mask of the destination.
/// </summary>
public sealed class ClassMatrix
{
    private readonly List<List<WorkloadPod>> _classes;
    private readonly List<(int Port, string Protocol)>[] _candidates;
    private readonly Func<int, ulong[]> _computeRow;
    private readonly ulong[]?[] _rows;

    private ClassMatrix(List<List<WorkloadPod>> classes, List<(int, string)>[] candidates, Func<int, ulong[]> computeRow)
    {
        _classes = classes;
        _candidates = candidates;
        _computeRow = computeRow;
        _rows = new ulong[classes.Count][];
    }

    /// <summary>The allowed ports (a mask over the destination's candidates) from class <paramref name="s"/> to class <paramref name="d"/>; a source's row is computed when first asked.</summary>
    private ulong Allowed(int s, int d) => (_rows[s] ??= _computeRow(s))[d];

    public int ClassCount => _classes.Count;

    public static ClassMatrix Compute(ClusterModel cluster, PolicyEngine? engine, int? port, string protocol = "TCP", Version? kubernetesVersion = null, CancellationToken cancellationToken = default)
    {
        // Pods differ for ipBlocks only by which blocks hold their address; blocks are compared by what they contain.
        var ipBlocks = engine is PolicyEngine.Cilium ? [] : cluster.Policies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Peers)
            .Where(p => p.IpBlock is not null).Select(p => p.IpBlock!).GroupBy(b => b.ToString()).Select(g => g.First()).ToList();
        var classes = Classes(cluster, ipBlocks);
        var count = classes.Count;
        var representatives = classes.Select(c => c[0]).ToArray();
        var endpoints = representatives.Select(Endpoint.Of).ToArray();
        var candidates = representatives.Select(r => port is { } p ? [(p, protocol)] : r.Ports.Select(c => (c.Port, c.Protocol)).Distinct().Take(64).ToList()).ToArray();
        var full = candidates.Select(c => c.Count == 64 ? ulong.MaxValue : (1UL << c.Count) - 1).ToArray();

        // Per rule, its answers worked out when a row first needs them (CompiledRule): whether its peers match a class,
        // and the candidate ports it allows per destination class. The first row asks each ingress rule whether its
        // peers match one source class, not every class.
        var evaluator = new ReachabilityEngine(cluster, engine, kubernetesVersion);
        var context = new RuleContext(evaluator, endpoints, representatives, candidates);
        var compiled = new Dictionary<PolicyRule, CompiledRule>();
        CompiledRule Compiled(KubernetesNetworkPolicy policy, PolicyRule rule) =>
            compiled.TryGetValue(rule, out var known) ? known : compiled[rule] = new CompiledRule(policy, rule, context);

        var egressPolicies = representatives.Select(r => evaluator.Isolating(r, isIngress: false).ToList()).ToArray();
        var ingressPolicies = representatives.Select(r => evaluator.Isolating(r, isIngress: true).ToList()).ToArray();
        var egress = egressPolicies.Select(policies => policies.SelectMany(p => p.Egress.Select(rule => Compiled(p, rule))).ToList()).ToArray();
        var ingress = ingressPolicies.Select(policies => policies.SelectMany(p => p.Ingress.Select(rule => Compiled(p, rule))).ToList()).ToArray();

        // One source class's row: its egress mask AND each destination's ingress mask. Rows are made as the entries ask
        // for them (source by source), so the first row is out without the whole class x class matrix.
        ulong[] Row(int s)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = new ulong[count];
            if (egressPolicies[s].Count == 0)
            {
                Array.Copy(full, row, count);
            }
            else
            {
                foreach (var rule in egress[s])
                {
                    for (var d = 0; d < count; d++)
                    {
                        if (rule.PeersMatch(d))
                        {
                            row[d] |= rule.Ports(d);
                        }
                    }
                }
            }

            for (var d = 0; d < count; d++)
            {
                var inMask = full[d];
                if (ingressPolicies[d].Count > 0)
                {
                    inMask = 0;
                    foreach (var rule in ingress[d])
                    {
                        if (rule.PeersMatch(s))
                        {
                            inMask |= rule.Ports(d);
                        }
                    }
                }

                row[d] &= inMask;
            }

            return row;
        }

        return new ClassMatrix(classes, candidates, Row);
    }

    /// <summary>What a rule's answers are worked out from: the classes' representatives and the ports asked about.</summary>
    private sealed record RuleContext(ReachabilityEngine Evaluator, Endpoint[] Endpoints, WorkloadPod[] Representatives, List<(int Port, string Protocol)>[] Candidates);

    /// <summary>
    /// A rule's answers per class. Whether its peers match: for the first class asked alone (the first row asks each
    /// ingress rule about its one source class), then for every class at once as bits, which the matrix's inner loop
    /// reads. The ports it allows: for every destination class at once, when first asked.
    /// </summary>
    private sealed class CompiledRule(KubernetesNetworkPolicy policy, PolicyRule rule, RuleContext context)
    {
        private ulong[]? _peers;
        private int _askedClass = -1;
        private bool _askedAnswer;
        private ulong[]? _ports;

        /// <summary>Whether a peer of the rule matches class <paramref name="c"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool PeersMatch(int c) => _peers is { } peers ? (peers[c >> 6] & (1UL << (c & 63))) != 0 : Ask(c);

        private bool Ask(int c)
        {
            if (_askedClass < 0 || _askedClass == c)
            {
                _askedAnswer = _askedClass == c ? _askedAnswer : Matches(c);
                _askedClass = c;
                return _askedAnswer;
            }

            var peers = new ulong[(context.Endpoints.Length + 63) / 64];
            for (var other = 0; other < context.Endpoints.Length; other++)
            {
                if (other == _askedClass ? _askedAnswer : Matches(other))
                {
                    peers[other >> 6] |= 1UL << (other & 63);
                }
            }

            _peers = peers;
            return PeersMatch(c);
        }

        private bool Matches(int c)
        {
            var matched = rule.AllowsAllPeers;
            for (var i = 0; !matched && i < rule.Peers.Count; i++)
            {
                matched = context.Evaluator.PeerMatches(policy, rule.Peers[i], context.Endpoints[c]);
            }

            return matched;
        }

        /// <summary>The candidate ports of destination class <paramref name="d"/> the rule allows, as a mask (worked out for every class at once: it is cheap).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Ports(int d) => (_ports ??= WorkOutPorts())[d];

        private ulong[] WorkOutPorts()
        {
            var ports = new ulong[context.Candidates.Length];
            for (var d = 0; d < ports.Length; d++)
            {
                var candidates = context.Candidates[d];
                for (var k = 0; k < candidates.Count; k++)
                {
                    var matched = rule.AllowsAllPorts;
                    for (var i = 0; !matched && i < rule.Ports.Count; i++)
                    {
                        matched = ReachabilityEngine.PortMatches(rule.Ports[i], candidates[k].Port, candidates[k].Protocol, context.Representatives[d], context.Evaluator.HonoursEndPort);
                    }

                    if (matched)
                    {
                        ports[d] |= 1UL << k;
                    }
                }
            }

            return ports;
        }
    }

    /// <summary>The matrix for every ordered pair of distinct pods whose destination has ports to ask about.</summary>
    public IEnumerable<ConnectivityEntry> Entries() => Entries(MatrixGrouping.Pod, excludeAllowed: false);

    /// <summary>
    /// The matrix, row by row as it is enumerated (nothing is expanded ahead), at the level asked: pods, classes, or
    /// workloads (the default of the cmdlet). A row of several pod pairs allows a port only when every pair does, and
    /// denies it when any pair does. <paramref name="excludeAllowed"/> leaves out the rows where every port is allowed.
    /// </summary>
    public IEnumerable<ConnectivityEntry> Entries(MatrixGrouping grouping, bool excludeAllowed)
    {
        var rows = grouping switch
        {
            MatrixGrouping.Pod => PodRows(),
            MatrixGrouping.Class => GroupRows(Enumerable.Range(0, _classes.Count).Select(c => (Name: ClassName(c), Members: new[] { (Class: c, Pods: _classes[c]) })).ToList()),
            _ => GroupRows(_classes.SelectMany((pods, c) => pods.Select(p => (p.Workload, Class: c, Pod: p)))
                .GroupBy(x => x.Workload, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Name: g.Key, Members: g.GroupBy(x => x.Class).Select(c => (Class: c.Key, Pods: c.Select(x => x.Pod).ToList())).ToArray())).ToList()),
        };
        return excludeAllowed ? rows.Where(r => r.DeniedPorts.Count > 0) : rows;
    }

    private IEnumerable<ConnectivityEntry> PodRows()
    {
        for (var s = 0; s < _classes.Count; s++)
        {
            foreach (var from in _classes[s])
            {
                for (var d = 0; d < _classes.Count; d++)
                {
                    if (_candidates[d].Count == 0)
                    {
                        continue;
                    }

                    var mask = Allowed(s, d);
                    var allowedPorts = Ports(d, mask, allowed: true);
                    var deniedPorts = Ports(d, mask, allowed: false);
                    foreach (var to in _classes[d].Where(t => t != from))
                    {
                        yield return new ConnectivityEntry { From = from.Id, To = to.Id, Allowed = mask != 0, AllowedPorts = allowedPorts, DeniedPorts = deniedPorts };
                    }
                }
            }
        }
    }

    /// <summary>Rows between groups of pods (classes or workloads), each group with the classes its pods fall in; source by source.</summary>
    private IEnumerable<ConnectivityEntry> GroupRows(List<(string Name, (int Class, List<WorkloadPod> Pods)[] Members)> groups)
    {
        var destinationPorts = groups.Select(to => to.Members.SelectMany(m => _candidates[m.Class]).Select(c => $"{c.Protocol}/{c.Port}").Distinct().ToList()).ToList();
        foreach (var from in groups)
        {
            for (var t = 0; t < groups.Count; t++)
            {
                var to = groups[t];
                var toPorts = destinationPorts[t];
                if (toPorts.Count == 0)
                {
                    continue;
                }

                long pairs = 0;
                var allowedEverywhere = new HashSet<string>(toPorts);
                var deniedSomewhere = new HashSet<string>();
                foreach (var (d, toPods) in to.Members)
                {
                    foreach (var (s, fromPods) in from.Members)
                    {
                        var count = (long)fromPods.Count * toPods.Count - (ReferenceEquals(fromPods, toPods) ? toPods.Count : 0);
                        if (count == 0)
                        {
                            continue;
                        }

                        pairs += count;
                        var mask = Allowed(s, d);
                        allowedEverywhere.IntersectWith(Ports(d, mask, allowed: true));
                        deniedSomewhere.UnionWith(Ports(d, mask, allowed: false));
                    }
                }

                if (pairs > 0)
                {
                    var allowedPorts = toPorts.Where(allowedEverywhere.Contains).ToList();
                    yield return new ConnectivityEntry
                    {
                        From = from.Name, To = to.Name, Allowed = allowedPorts.Count > 0, AllowedPorts = allowedPorts,
                        DeniedPorts = toPorts.Where(deniedSomewhere.Contains).ToList(), Pairs = pairs,
                    };
                }
            }
        }
    }

    private List<string> Ports(int d, ulong mask, bool allowed) =>
        _candidates[d].Where((_, k) => ((mask & (1UL << k)) != 0) == allowed).Select(c => $"{c.Protocol}/{c.Port}").ToList();

    /// <summary>A class by its first workload, and how many more it holds: "shop/Deployment/web (+2 workloads)".</summary>
    private string ClassName(int c)
    {
        var workloads = _classes[c].Select(p => p.Workload).Distinct(StringComparer.Ordinal).ToList();
        return $"class {c}: {workloads[0]}{(workloads.Count > 1 ? $" (+{workloads.Count - 1} workloads)" : "")}";
    }

    /// <summary>How many ordered pod pairs are allowed on at least one evaluated port (without expanding the matrix).</summary>
    public long AllowedPairs()
    {
        long total = 0;
        for (var s = 0; s < _classes.Count; s++)
        {
            for (var d = 0; d < _classes.Count; d++)
            {
                if (Allowed(s, d) != 0)
                {
                    total += (long)_classes[s].Count * _classes[d].Count - (s == d ? _classes[s].Count : 0);
                }
            }
        }

        return total;
    }

    /// <summary>
    /// Pods grouped by what the policies can tell apart: the same namespace, hostNetwork, declared ports and ipBlocks
    /// holding their address (<paramref name="ipBlocks"/>), and the same answer from every pod selector in use (the
    /// policies' spec.podSelector, in their namespace, and the peers' podSelector, in the namespaces they reach). Not the
    /// same labels: workloads whose labels no selector tells apart (their own app names, a ReplicaSet hash, a StatefulSet
    /// pod name) are one class. Each selector is matched through a <see cref="LabelIndex{T}"/>, not against every pod.
    /// </summary>
    internal static List<List<WorkloadPod>> Classes(ClusterModel cluster, IReadOnlyList<IpBlock> ipBlocks)
    {
        var pods = cluster.Pods;
        var index = new LabelIndex<int>(Enumerable.Range(0, pods.Count), i => pods[i].Namespace, i => pods[i].Labels);
        var selectedBy = new StringBuilder?[pods.Count];
        var selectors = cluster.Policies
            .SelectMany(p => p.Ingress.Concat(p.Egress).SelectMany(r => r.Peers).Where(peer => peer.PodSelector is not null)
                .Select(peer => (Scope: peer.NamespaceSelector is null ? p.Namespace : null, Selector: peer.PodSelector!))
                .Prepend((Scope: (string?)p.Namespace, Selector: p.PodSelector)))
            .GroupBy(x => (x.Scope, x.Selector.ToString())).Select(g => g.First()).ToList();
        for (var s = 0; s < selectors.Count; s++)
        {
            foreach (var ns in selectors[s].Scope is { } scope ? [scope] : index.Namespaces)
            {
                foreach (var i in index.Matching(ns, selectors[s].Selector))
                {
                    (selectedBy[i] ??= new StringBuilder()).Append(s).Append(',');
                }
            }
        }

        return Enumerable.Range(0, pods.Count)
            .GroupBy(i => string.Join("\u0001", ClassKey(pods[i], ipBlocks), selectedBy[i]?.ToString() ?? ""))
            .Select(g => g.Select(i => pods[i]).ToList()).ToList();
    }

    /// <summary>What, besides the selectors, tells pods apart: namespace, hostNetwork, declared ports, and the ipBlocks holding the address.</summary>
    private static string ClassKey(WorkloadPod pod, IReadOnlyList<IpBlock> ipBlocks)
    {
        var address = pod.Ip?.GetAddressBytes();
        return string.Join("\u0001",
            pod.Namespace, pod.HostNetwork,
            string.Join(",", pod.Ports.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}")),
            address is null ? "" : string.Join(",", ipBlocks.Select((block, i) => block.Contains(address) ? i : -1).Where(i => i >= 0)));
    }
}

using static AksEgress.NetworkPolicy.FindingCodes;

namespace AksEgress.NetworkPolicy;

/// <summary>
/// Mistakes the API server accepts: namespaces without a default deny (seed 004's first best practice), egress
/// isolation that cuts DNS, rules that policyTypes silently ignores, selectors that match nothing, allow-all rules
/// that make other policies moot, and duplicates. Checks that need workloads run only when the input has some.
/// </summary>
public static class PolicyLinter
{
    /// <summary>The cluster DNS as AKS deploys it (CoreDNS, still labelled k8s-app=kube-dns), assumed when the input does not hold it.</summary>
    private static readonly WorkloadPod KubeDns = new()
    {
        Namespace = "kube-system", Name = "coredns", Kind = "Deployment",
        Labels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" },
        Ports = [new ContainerPort("dns", 53, "UDP"), new ContainerPort("dns-tcp", 53, "TCP")],
    };

    public static IEnumerable<NetworkPolicyFinding> Lint(ClusterModel cluster)
    {
        var findings = new List<NetworkPolicyFinding>();
        var engine = new ReachabilityEngine(cluster);
        var hasWorkloads = cluster.Pods.Count > 0;

        NetworkPolicyFinding At(KubernetesNetworkPolicy? policy, string code, string message, FindingSeverity severity = FindingSeverity.Warning, string? path = null, SourceSpan? at = null) => new()
        {
            SeverityValue = severity, Code = code, Message = message, Policy = policy?.Id, Path = path,
            File = (at ?? policy?.Source)?.File, Line = (at ?? policy?.Source)?.Line ?? 0, Column = (at ?? policy?.Source)?.Column ?? 0,
        };

        // Pods the policies cannot tell apart (the matrix's classes: the same namespace and the same answer from every
        // pod selector) are decided alike: each check looks at one pod of each such group, so it grows with the
        // workloads, not with pods x policies (10,000 pods and 1,000 policies were 10^7 selector matches per check).
        var groupList = ClassMatrix.Classes(cluster, []);
        // Groups and namespaces are found by selectors through an index, not tried one by one: a check grows with what
        // the selectors can match, not with groups x policies.
        var groups = new LabelIndex<List<WorkloadPod>>(groupList, g => g[0].Namespace, g => g[0].Labels);
        var namespaces = new LabelIndex<string>(groups.Namespaces, _ => "", cluster.NamespaceLabels);

        foreach (var ns in groups.Namespaces.OrderBy(n => n, StringComparer.Ordinal))
        {
            var open = groups.In(ns).Where(g => !engine.Isolating(g[0], isIngress: true).Any()).SelectMany(g => g).ToList();
            if (open.Count > 0)
            {
                findings.Add(At(null, NoDefaultDeny,
                    $"Namespace {ns} has no default deny: {string.Join(", ", open.Take(5).Select(p => p.Name))}{(open.Count > 5 ? $" and {open.Count - 5} more" : "")} accept traffic from anywhere. Add a policy with podSelector {{}} and policyTypes [Ingress] (and Egress), then allow what is needed.",
                    FindingSeverity.Information, at: open[0].Source));
            }
        }

        var dns = cluster.Pods.FirstOrDefault(p => p.Namespace == "kube-system" && p.Labels.TryGetValue("k8s-app", out var app) && app == "kube-dns") ?? KubeDns;
        bool DnsCut(WorkloadPod p) =>
            !engine.Evaluate(Endpoint.Of(p), Endpoint.Of(dns), 53, "UDP").EgressAllowed || !engine.Evaluate(Endpoint.Of(p), Endpoint.Of(dns), 53, "TCP").EgressAllowed;
        // The groups whose egress to DNS is cut, decided once each when a policy first isolates egress.
        var dnsCutGroups = new Lazy<LabelIndex<List<WorkloadPod>>>(() => new(groupList.Where(g => DnsCut(g[0])), g => g[0].Namespace, g => g[0].Labels));

        foreach (var policy in cluster.Policies)
        {
            var (written, ignored) = policy.PolicyTypes.Count == 0 ? (null, null)
                : !policy.PolicyTypes.Contains("Egress") && policy.Egress.Count > 0 ? ("egress", "Egress")
                : !policy.PolicyTypes.Contains("Ingress") && policy.Ingress.Count > 0 ? ("ingress", "Ingress")
                : (null, null);
            if (written is not null)
            {
                findings.Add(At(policy, RulesIgnoredByPolicyTypes, $"policyTypes [{string.Join(", ", policy.PolicyTypes)}] does not list {ignored}, so the {written} rules are ignored. Add {ignored} to policyTypes, or remove the rules.", path: "spec.policyTypes"));
            }

            if (policy.IsolatesEgress)
            {
                var anyPod = new WorkloadPod { Namespace = policy.Namespace, Name = "(any pod it selects)", Kind = "Pod", Labels = policy.PodSelector.MatchLabels };
                var cut = (hasWorkloads ? dnsCutGroups.Value.Matching(policy.Namespace, policy.PodSelector).SelectMany(g => g) : new[] { anyPod }.Where(p => engine.Isolating(p, isIngress: false).Contains(policy) && DnsCut(p))).Take(3).ToList();
                if (cut.Count > 0)
                {
                    findings.Add(At(policy, EgressBlocksDns, $"Egress isolation blocks DNS for {string.Join(", ", cut)}: no egress rule allows UDP and TCP 53 to kube-dns (kube-system, k8s-app=kube-dns). Name resolution will fail; add an egress rule for it.", path: "spec.egress"));
                }
            }

            if (hasWorkloads && !groups.Matching(policy.Namespace, policy.PodSelector).Any())
            {
                findings.Add(At(policy, SelectorMatchesNothing, $"spec.podSelector {policy.PodSelector} matches no workload in namespace {policy.Namespace}: the policy applies to nothing.", path: "spec.podSelector"));
            }

            foreach (var peer in hasWorkloads ? policy.Ingress.Concat(policy.Egress).SelectMany(r => r.Peers).Where(p => p.IpBlock is null) : [])
            {
                // The namespaces the peer can reach into, then the groups there its pod selector may match (kube-dns first: most peers that span namespaces are for it).
                var reached = peer.NamespaceSelector is null ? [policy.Namespace] : namespaces.Matching("", peer.NamespaceSelector);
                var candidates = reached.SelectMany(n => peer.PodSelector is null ? groups.In(n) : groups.Matching(n, peer.PodSelector));
                if (!engine.PeerMatches(policy, peer, Endpoint.Of(dns)) && !candidates.Any(g => engine.PeerMatches(policy, peer, Endpoint.Of(g[0]))))
                {
                    findings.Add(At(policy, PeerMatchesNothing, $"The peer ({peer}) matches no workload in the input: the rule allows nothing from or to it.", FindingSeverity.Information, peer.Path, peer.Source));
                }
            }
        }

        foreach (var (direction, isIngress) in new[] { ("ingress", true), ("egress", false) })
        {
            // The policies that isolate this direction, per namespace, and indexed by each matchLabels pair: an
            // allow-all policy is compared only with those sharing its rarest label (or all of the namespace when it
            // selects every pod), not with every policy (10,000 allow-all policies were 10^8 comparisons).
            var isolating = cluster.Policies.Where(p => isIngress ? p.IsolatesIngress : p.IsolatesEgress).ToList();
            var byNamespace = isolating.GroupBy(p => p.Namespace).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var byLabel = isolating.SelectMany(p => p.PodSelector.MatchLabels.Select(l => (Key: (p.Namespace, l.Key, l.Value), Policy: p)))
                .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Select(x => x.Policy).ToList());
            // Allow-all policies with the same selector in one namespace shadow the same policies: found once per selector.
            foreach (var sameSelector in isolating.Where(p => (isIngress ? p.Ingress : p.Egress).Any(IsAllowAll)).GroupBy(p => (p.Namespace, Selector: p.PodSelector.ToString())))
            {
                var selector = sameSelector.First().PodSelector;
                var candidates = selector.MatchExpressions.Count > 0 ? []
                    : selector.IsEmpty ? byNamespace[sameSelector.Key.Namespace]
                    : selector.MatchLabels.Select(l => byLabel.TryGetValue((sameSelector.Key.Namespace, l.Key, l.Value), out var list) ? list : []).OrderBy(l => l.Count).First();
                var covered = candidates.Where(other => other.PodSelector.IsEmpty ? selector.IsEmpty : Covers(selector, other.PodSelector)).ToList();
                var coveredSet = new HashSet<object>(covered, ReferenceComparer.Instance);
                foreach (var allowAll in sameSelector)
                {
                    var count = covered.Count - (coveredSet.Contains(allowAll) ? 1 : 0);
                    if (count > 0)
                    {
                        var names = string.Join(", ", covered.Where(m => !ReferenceEquals(m, allowAll)).Take(5).Select(m => m.Id)) + (count > 5 ? $" and {count - 5} more" : "");
                        findings.Add(At(allowAll, AllowAllShadowsPolicies, $"This policy allows all {direction} to the pods it selects, so the {direction} rules of {names} restrict nothing for them.", path: $"spec.{direction}"));
                    }
                }
            }
        }

        foreach (var duplicates in cluster.Policies.GroupBy(p => p.Namespace + "/" + Canonical(p)).Where(g => g.Count() > 1))
        {
            findings.Add(At(duplicates.Last(), DuplicatePolicy, $"Policies {string.Join(", ", duplicates.Select(d => $"{d.Id} ({d.Source})"))} have the same spec; keep one.", FindingSeverity.Information));
        }

        foreach (var sameName in cluster.Policies.GroupBy(p => p.Id).Where(g => g.Count() > 1 && g.Select(Canonical).Distinct().Count() > 1))
        {
            findings.Add(At(sameName.Last(), DuplicatePolicy, $"Policy {sameName.Key} is defined {sameName.Count()} times with different specs ({string.Join(", ", sameName.Select(p => p.Source))}); only the one applied last exists in the cluster."));
        }

        return findings;
    }

    private static bool IsAllowAll(PolicyRule rule) => rule.AllowsAllPeers && rule.AllowsAllPorts;

    /// <summary>Policies are records (equal when their content is); here each one counts as itself.</summary>
    private sealed class ReferenceComparer : IEqualityComparer<object>
    {
        public static readonly ReferenceComparer Instance = new();

        public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

        public int GetHashCode(object obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    /// <summary>A selector with a subset of another's matchLabels and no expressions selects at least the pods the other selects.</summary>
    private static bool Covers(LabelSelector wide, LabelSelector narrow) =>
        wide.MatchExpressions.Count == 0 && wide.MatchLabels.All(l => narrow.MatchLabels.TryGetValue(l.Key, out var v) && v == l.Value);

    private static string Canonical(KubernetesNetworkPolicy p) => string.Join("|",
        p.PodSelector, string.Join(",", p.PolicyTypes), p.IsolatesIngress, p.IsolatesEgress,
        string.Join(";", p.Ingress.Select(Rule)), string.Join(";", p.Egress.Select(Rule)));

    private static string Rule(PolicyRule r) => string.Join(",", r.Peers) + ">" + string.Join(",", r.Ports);
}

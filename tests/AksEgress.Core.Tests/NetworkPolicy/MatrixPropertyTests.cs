using AksEgress.NetworkPolicy;
using AksEgress.Testing;

namespace AksEgress.Core.Tests.NetworkPolicy;

/// <summary>The class-based matrix and the pair-by-pair evaluator agree, cell by cell, on random clusters and policies.</summary>
public class MatrixPropertyTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        foreach (var seed in Enumerable.Range(1, 150))
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_class_matrix_equals_the_pairwise_matrix(int seed)
    {
        var cluster = RandomCluster.Generate(seed, pods: 25 + (seed % 20), policies: 5 + (seed % 15), labelVariety: 3 + (seed % 6));
        PolicyEngine? engine = (seed % 4) switch { 0 => PolicyEngine.Cilium, 1 => PolicyEngine.AzureNpmLinux, _ => null };
        int? port = seed % 3 == 0 ? 80 : null;
        static string Cell(ConnectivityEntry e) => $"{e.From}>{e.To}:{e.Allowed}:{string.Join(",", e.AllowedPorts)}|{string.Join(",", e.DeniedPorts)}";
        var version = seed % 8 == 0 ? new Version(1, 30) : null;
        var expected = PairwiseMatrix.Compute(cluster, engine, port, kubernetesVersion: version).Select(Cell).OrderBy(x => x, StringComparer.Ordinal).ToList();
        var actual = ClassMatrix.Compute(cluster, engine, port, kubernetesVersion: version).Entries().Select(Cell).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_random_clusters_mix_allowed_and_denied_cells_so_the_property_has_teeth()
    {
        var mixed = Enumerable.Range(1, 150).Count(seed =>
        {
            var cells = PairwiseMatrix.Compute(RandomCluster.Generate(seed, pods: 25 + (seed % 20), policies: 5 + (seed % 15), labelVariety: 3 + (seed % 6)), null, seed % 3 == 0 ? 80 : null).ToList();
            return cells.Any(c => c.Allowed) && cells.Any(c => !c.Allowed);
        });
        Assert.True(mixed >= 135, $"only {mixed} of 150 clusters mix allowed and denied cells");
    }

    [Fact]
    public void Replicas_of_a_template_share_classes_and_agree_with_the_pairwise_matrix()
    {
        var cluster = RandomCluster.Generate(11, pods: 240, policies: 30, templates: 12);
        var matrix = ClassMatrix.Compute(cluster, null, null);
        // Replicas split only where their addresses fall in different ipBlocks: far fewer classes than pods.
        Assert.True(matrix.ClassCount <= cluster.Pods.Count / 2, $"{matrix.ClassCount} classes for {cluster.Pods.Count} pods of 12 templates");
        static string Cell(ConnectivityEntry e) => $"{e.From}>{e.To}:{string.Join(",", e.AllowedPorts)}";
        Assert.Equal(PairwiseMatrix.Compute(cluster, null, null).Select(Cell).OrderBy(x => x), matrix.Entries().Select(Cell).OrderBy(x => x));
    }

    [Theory]
    // No selector looks at app: one class. A selector on app=a (or on app being b, or on tier) tells a from b.
    [InlineData("{ matchLabels: { role: db } }", 1)]
    [InlineData("{ matchLabels: { app: a } }", 2)]
    [InlineData("{ matchExpressions: [ { key: app, operator: In, values: [b] } ] }", 2)]
    [InlineData("{ matchExpressions: [ { key: tier, operator: Exists } ] }", 2)]
    [InlineData("{}", 1)]
    public void Pods_whose_labels_differ_share_a_class_unless_a_selector_tells_them_apart(string selector, int classes)
    {
        var yaml = Manifests.Pod("shop", "a-1", "{ app: a }", "{ containerPort: 80 }") + Manifests.Pod("shop", "b-1", "{ app: b, tier: web }", "{ containerPort: 80 }")
            + $"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{ name: p, namespace: shop }}\nspec: {{ podSelector: {selector}, policyTypes: [Ingress] }}\n";
        var cluster = ClusterModel.From(Manifests.Read(yaml));
        Assert.Equal(classes, ClassMatrix.Compute(cluster, null, null).ClassCount);
        // Whatever the classes, the cells are the pair-by-pair evaluator's.
        static string Cell(ConnectivityEntry e) => $"{e.From}>{e.To}:{string.Join(",", e.AllowedPorts)}";
        Assert.Equal(PairwiseMatrix.Compute(cluster, null, null).Select(Cell).OrderBy(x => x, StringComparer.Ordinal), ClassMatrix.Compute(cluster, null, null).Entries().Select(Cell).OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void Allowed_pairs_are_counted_without_expanding_the_matrix()
    {
        var cluster = RandomCluster.Generate(7, pods: 60, policies: 20);
        var matrix = ClassMatrix.Compute(cluster, null, 80);
        Assert.Equal(PairwiseMatrix.Compute(cluster, null, 80).Count(e => e.Allowed), matrix.AllowedPairs());
    }

    /// <summary>
    /// A row for a pair of workloads or classes says what its pod pairs say: a port is allowed when it is for every pair,
    /// denied when it is for any, and Pairs counts them. Checked against the pair-by-pair evaluator.
    /// </summary>
    [Theory]
    [InlineData(3, MatrixGrouping.Workload)]
    [InlineData(4, MatrixGrouping.Workload)]
    [InlineData(5, MatrixGrouping.Class)]
    [InlineData(6, MatrixGrouping.Class)]
    public void A_grouped_row_summarises_its_pod_pairs(int seed, MatrixGrouping grouping)
    {
        var cluster = RandomCluster.Generate(seed, pods: 90, policies: 15, templates: 10);
        var matrix = ClassMatrix.Compute(cluster, null, null);
        var pods = cluster.Pods.ToDictionary(p => p.Id);
        var pairs = PairwiseMatrix.Compute(cluster, null, null).ToList();
        var rows = matrix.Entries(grouping, excludeAllowed: false).ToList();
        Assert.Equal(pairs.Count, rows.Sum(r => r.Pairs));
        if (grouping is MatrixGrouping.Workload)
        {
            foreach (var row in rows)
            {
                var members = pairs.Where(p => pods[p.From].Workload == row.From && pods[p.To].Workload == row.To).ToList();
                Assert.Equal(members.Count, row.Pairs);
                var ports = members.SelectMany(m => m.AllowedPorts.Concat(m.DeniedPorts)).Distinct().ToList();
                Assert.Equal(ports.Where(p => members.All(m => m.AllowedPorts.Contains(p))).OrderBy(p => p), row.AllowedPorts.OrderBy(p => p));
                Assert.Equal(ports.Where(p => members.Any(m => m.DeniedPorts.Contains(p))).OrderBy(p => p), row.DeniedPorts.OrderBy(p => p));
            }

            Assert.Equal(rows.Where(r => r.DeniedPorts.Count > 0).Select(r => r.From + ">" + r.To), matrix.Entries(grouping, excludeAllowed: true).Select(r => r.From + ">" + r.To));
        }
    }
}

/// <summary>The indexes that spare trying every policy or group find exactly what trying each one finds, in order.</summary>
public class SelectorIndexPropertyTests
{
    [Theory]
    [MemberData(nameof(MatrixPropertyTests.Seeds), MemberType = typeof(MatrixPropertyTests))]
    public void The_policies_isolating_a_pod_are_those_of_its_namespace_that_select_it_in_their_order(int seed)
    {
        // Crowded namespaces: more than the 16 policies up to which a namespace is not indexed.
        var cluster = RandomCluster.Generate(seed, pods: 25 + (seed % 20), policies: 50 + (seed % 50), namespaces: 1 + (seed % 2), labelVariety: 3 + (seed % 6));
        Assert.Contains(cluster.Policies.GroupBy(p => p.Namespace), g => g.Count() > 16);
        var engine = new ReachabilityEngine(cluster);
        foreach (var pod in cluster.Pods)
        {
            foreach (var ingress in new[] { true, false })
            {
                // The definition (networking/v1 NetworkPolicySpec): same namespace, podSelector matches, policyTypes has the direction.
                var expected = cluster.Policies.Where(p => p.Namespace == pod.Namespace && (ingress ? p.IsolatesIngress : p.IsolatesEgress) && p.PodSelector.Matches(pod.Labels));
                Assert.Equal(expected.Select(p => p.Id), engine.Isolating(pod, ingress).Select(p => p.Id));
            }
        }
    }

    [Theory]
    [MemberData(nameof(MatrixPropertyTests.Seeds), MemberType = typeof(MatrixPropertyTests))]
    public void The_pods_a_selector_matches_through_the_index_are_those_it_matches_one_by_one(int seed)
    {
        var cluster = RandomCluster.Generate(seed, pods: 25 + (seed % 20), policies: 5 + (seed % 15), labelVariety: 3 + (seed % 6));
        var index = new LabelIndex<WorkloadPod>(cluster.Pods, p => p.Namespace, p => p.Labels);
        var selectors = cluster.Policies.Select(p => p.PodSelector)
            .Concat(cluster.Policies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Peers).Select(peer => peer.PodSelector).OfType<LabelSelector>());
        foreach (var selector in selectors)
        {
            foreach (var ns in cluster.Pods.Select(p => p.Namespace).Distinct())
            {
                Assert.Equal(cluster.Pods.Where(p => p.Namespace == ns && selector.Matches(p.Labels)).Select(p => p.Id), index.Matching(ns, selector).Select(p => p.Id));
            }
        }
    }
}

using AksEgress.NetworkPolicy;
using AksEgress.Testing;

namespace AksEgress.Core.Tests.NetworkPolicy;

/// <summary>The benchmarks' realistic dumps: valid for the API server, the same in YAML and JSON, and a fair test of the classes.</summary>
public class RealisticDumpTests
{
    [Fact]
    public void The_yaml_and_the_json_dump_read_alike_and_without_errors()
    {
        var yaml = ManifestReader.Read(RealisticDump.Yaml(1, pods: 600, policies: 60), "dump.yaml");
        var json = ManifestReader.Read(RealisticDump.Json(1, pods: 600, policies: 60), "dump.json");
        Assert.DoesNotContain(yaml.Findings, f => f.Severity == "Error");
        Assert.DoesNotContain(json.Findings, f => f.Severity == "Error");
        Assert.Equal(60, yaml.Policies.Count);
        // 600 pods and the templates of their workloads.
        Assert.Equal(600, yaml.Pods.Count(p => p.Kind == "Pod"));
        Assert.Equal(yaml.Pods.Select(p => (p.Id, p.Workload, p.Labels.Count, p.Ports.Count)), json.Pods.Select(p => (p.Id, p.Workload, p.Labels.Count, p.Ports.Count)));
        // Every pod of a controller belongs to its workload, whose template is in the dump too.
        var templates = yaml.Pods.Where(p => p.Kind != "Pod").Select(p => p.Workload).ToHashSet();
        Assert.All(yaml.Pods.Where(p => p.Kind == "Pod"), p => Assert.Contains(p.Workload, templates));
    }

    [Fact]
    public void Realistic_labels_make_classes_of_workloads_not_of_pods_and_the_matrix_still_equals_the_pairwise_one()
    {
        var cluster = ClusterModel.From(ManifestReader.Read(RealisticDump.Json(2, pods: 300, policies: 40), "dump.json"));
        var matrix = ClassMatrix.Compute(cluster, null, null);
        var workloads = cluster.Pods.Select(p => p.Workload).Distinct().Count();
        Assert.True(matrix.ClassCount <= workloads * 2, $"{matrix.ClassCount} classes for {workloads} workloads of {cluster.Pods.Count} pods and templates");
        static string Cell(ConnectivityEntry e) => $"{e.From}>{e.To}:{string.Join(",", e.AllowedPorts)}|{string.Join(",", e.DeniedPorts)}";
        Assert.Equal(PairwiseMatrix.Compute(cluster, null, null).Select(Cell).OrderBy(x => x, StringComparer.Ordinal), matrix.Entries().Select(Cell).OrderBy(x => x, StringComparer.Ordinal));
    }
}

/// <summary>What kubectl prints that no check reads is left out of the model; nothing a check reads is.</summary>
public class ManifestPruningTests
{
    private const string Pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-1
          namespace: shop
          annotations: { prometheus.io/scrape: "true" }
          managedFields: [ { manager: kubectl, operation: Update } ]
          labels: { app: web }
        spec:
          containers:
          - name: main
            env: [ { name: A, value: "1" } ]
            resources: { limits: { cpu: 500m } }
            ports: [ { name: http, containerPort: 8080 } ]
        status:
          conditions: [ { type: Ready, status: "True" } ]
          podIP: 10.1.2.3
          phase: Running
        """;

    [Fact]
    public void A_pods_labels_ports_and_address_survive_and_its_bulk_does_not_matter()
    {
        var pod = Assert.Single(ManifestReader.Read(Pod, "pod.yaml").Pods);
        Assert.Equal(("shop/web-1", "web", "10.1.2.3"), (pod.Id, pod.Labels["app"], pod.Ip?.ToString()));
        Assert.Equal([new ContainerPort("http", 8080, "TCP")], pod.Ports);
        // The same in JSON, and with the bulk removed by hand.
        var bare = Pod.Replace("  annotations: { prometheus.io/scrape: \"true\" }\n", "").Replace("    env: [ { name: A, value: \"1\" } ]\n", "");
        var other = Assert.Single(ManifestReader.Read(bare, "pod.yaml").Pods);
        Assert.Equal((pod.Id, pod.Workload, pod.Ip, string.Join(",", pod.Labels), string.Join(",", pod.Ports)), (other.Id, other.Workload, other.Ip, string.Join(",", other.Labels), string.Join(",", other.Ports)));
    }

    [Fact]
    public void An_alias_to_an_anchor_in_dropped_bulk_is_still_read()
    {
        var text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations: &shared { app: web }\n  labels: *shared\nspec: { containers: [ { name: c, ports: [ { containerPort: 80 } ] } ] }\n";
        var set = ManifestReader.Read(text, "pod.yaml");
        Assert.Empty(set.Findings);
        Assert.Equal("web", Assert.Single(set.Pods).Labels["app"]);
    }

    [Fact]
    public void A_networkpolicys_fields_are_all_checked_whatever_their_names()
    {
        var policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: shop }\nspec:\n  podSelector: {}\n  annotations: { a: b }\n  env: []\n  policyTypes: [Ingress]\n";
        var findings = ManifestReader.Read(policy, "p.yaml").Findings;
        Assert.Contains(findings, f => f.Code == FindingCodes.UnknownField && f.Path == "spec.annotations");
        Assert.Contains(findings, f => f.Code == FindingCodes.UnknownField && f.Path == "spec.env");
    }
}

public class ManifestSpecPruningTests
{
    [Fact]
    public void A_workloads_template_and_a_pods_containers_and_host_network_are_read_whatever_else_their_spec_holds()
    {
        const string Text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: apps/v1
              kind: DaemonSet
              metadata: { name: agent, namespace: kube-system }
              spec:
                selector: { matchLabels: { app: agent } }
                updateStrategy: { type: RollingUpdate }
                template:
                  metadata: { labels: { app: agent } }
                  spec:
                    hostNetwork: true
                    tolerations: [ { operator: Exists } ]
                    volumes: [ { name: v, hostPath: { path: /var/log } } ]
                    containers: [ { name: c, image: x, ports: [ { name: metrics, containerPort: 9100 } ] } ]
            - apiVersion: v1
              kind: Pod
              metadata: { name: p, namespace: shop, labels: { app: p } }
              spec:
                nodeName: node-1
                serviceAccountName: default
                hostNetwork: false
                containers: [ { name: c, image: x, ports: [ { containerPort: 80 } ] } ]
            """;
        var set = ManifestReader.Read(Text, "list.yaml");
        Assert.Empty(set.Findings);
        var agent = set.Pods.Single(p => p.Kind == "DaemonSet");
        Assert.Equal((true, "agent", "metrics:9100/TCP"), (agent.HostNetwork, agent.Labels["app"], string.Join(",", agent.Ports.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"))));
        var pod = set.Pods.Single(p => p.Kind == "Pod");
        Assert.Equal((false, 80), (pod.HostNetwork, pod.Ports.Single().Port));
    }
}

/// <summary>A List's items are read one at a time as they are parsed; the answer is the same as reading the text whole.</summary>
public class ItemByItemReadingTests
{
    private const string Item = "{ apiVersion: v1, kind: Pod, metadata: { name: NAME, namespace: shop, labels: { app: web } }, spec: { containers: [ { name: c, ports: [ { containerPort: 80 } ] } ] } }";

    private static string List(string kind, params string[] names) =>
        $"apiVersion: v1\nitems:\n{string.Concat(names.Select(n => $"- {Item.Replace("NAME", n)}\n"))}kind: {kind}\nmetadata: {{ resourceVersion: \"\" }}\n";

    [Fact]
    public void Items_written_before_the_kind_as_kubectls_json_writes_them_are_read_when_the_kind_is_List()
    {
        var set = ManifestReader.Read(List("List", "a", "b"), "list.yaml");
        Assert.Empty(set.Findings);
        Assert.Equal(["shop/a", "shop/b"], set.Pods.Select(p => p.Id));
        // kubectl -o json: the same, keys in alphabetical order.
        var json = """{"apiVersion":"v1","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"shop"},"spec":{"containers":[]}}],"kind":"List","metadata":{"resourceVersion":""}}""";
        Assert.Equal(["shop/a"], ManifestReader.Read(json, "list.json").Pods.Select(p => p.Id));
    }

    [Fact]
    public void The_items_of_a_root_that_is_not_a_List_are_not_read()
    {
        // A PodList as the API returns it is not what kubectl get prints: skipped, its items with it (as when read whole).
        var set = ManifestReader.Read(List("PodList", "a", "b") + "---\n" + List("List", "c"), "lists.yaml");
        Assert.Equal(["shop/c"], set.Pods.Select(p => p.Id));
        Assert.Contains(set.Skipped, s => s.Contains("PodList", StringComparison.Ordinal));
    }

    [Fact]
    public void An_alias_from_one_item_to_an_anchor_in_another_is_resolved_by_reading_the_text_whole()
    {
        var text = "apiVersion: v1\nkind: List\nitems:\n"
            + "- { apiVersion: v1, kind: Pod, metadata: { name: a, namespace: shop, labels: &web { app: web } }, spec: { containers: [] } }\n"
            + "- { apiVersion: v1, kind: Pod, metadata: { name: b, namespace: shop, labels: *web }, spec: { containers: [] } }\n";
        var set = ManifestReader.Read(text, "alias.yaml");
        Assert.Empty(set.Findings);
        Assert.Equal([("shop/a", "web"), ("shop/b", "web")], set.Pods.Select(p => (p.Id, p.Labels["app"])));
    }

    [Fact]
    public void An_error_after_items_already_read_leaves_only_the_error()
    {
        // The third item is cut off: the two items read before it count for nothing.
        var text = List("List", "a", "b").Replace("kind: List", "- { apiVersion: v1, kind: Pod\nkind: List");
        var set = ManifestReader.Read(text, "cut.yaml");
        Assert.Empty(set.Pods);
        var error = Assert.Single(set.Findings);
        Assert.Equal((FindingCodes.InvalidManifest, "Error"), (error.Code, error.Severity));
        Assert.True(error.Line >= 4, error.Message);
    }
}

/// <summary>Ctrl+C (the cmdlet's cancellation) stops reading within an item and the matrix within a row.</summary>
public class CancellationTests
{
    [Fact]
    public void Reading_a_list_stops_at_the_next_item_once_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => ManifestReader.Read(RealisticDump.Yaml(1, pods: 50, policies: 5), "dump.yaml", cancel.Token));
    }

    [Fact]
    public void Reading_yaml_whole_stops_within_a_few_thousand_events_once_cancelled()
    {
        // The path taken when an alias reaches across items: one model of the whole text.
        var text = RealisticDump.Yaml(1, pods: 50, policies: 5);
        Assert.DoesNotContain(ManifestReader.Read(text, "dump.yaml").Findings, f => f.Severity == "Error");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => YamlLoader.Load(text, out _, cancellationToken: cancel.Token));
    }

    [Fact]
    public void The_matrix_stops_at_the_next_row_once_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var cluster = ClusterModel.From(ManifestReader.Read(RealisticDump.Json(1, pods: 50, policies: 5), "dump.json"));
        var rows = ClassMatrix.Compute(cluster, null, null, cancellationToken: cancel.Token).Entries().GetEnumerator();
        Assert.True(rows.MoveNext());
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
        {
            while (rows.MoveNext())
            {
            }
        });
    }
}

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

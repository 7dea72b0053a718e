using AksEgress.NetworkPolicy;
using AksEgress.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AksEgress.Benchmarks;

/// <summary>
/// Test-AksNetworkPolicy's work on realistic `kubectl get ... -A -o yaml|json` dumps (RealisticDump: unique pod names,
/// ReplicaSet hashes, StatefulSet pod names, Jobs, hostNetwork DaemonSets, ownerReferences), one policy per ten pods,
/// from the text: the findings, one -From/-To query, and the first row of the matrix. Budgets at 10k pods / 1k
/// policies: findings from YAML 3 s and from JSON 1.5 s, a query 2 s, the first matrix row 5 s, under 1 GiB each;
/// 30k pods within 3.5 times the 10k time. Each case runs in a process of its own, which prints its peak working set.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class NetworkPolicyDumpBenchmarks
{
    private string _yaml = "";
    private string _json = "";

    [Params(10_000, 30_000)]
    public int Pods { get; set; }

    // Each case holds only the text it reads, so that its peak working set is its own.
    [GlobalSetup(Targets = [nameof(FindingsFromYaml), nameof(QueryFromYaml), nameof(FirstMatrixRowFromYaml)])]
    public void SetupYaml()
    {
        _yaml = RealisticDump.Yaml(42, Pods, Pods / 10);
        Console.WriteLine($"// {Pods} pods: YAML {_yaml.Length / (1024 * 1024)} MiB");
    }

    [GlobalSetup(Targets = [nameof(FindingsFromJson), nameof(QueryFromJson), nameof(FirstMatrixRowFromJson)])]
    public void SetupJson()
    {
        _json = RealisticDump.Json(42, Pods, Pods / 10);
        Console.WriteLine($"// {Pods} pods: JSON {_json.Length / (1024 * 1024)} MiB");
    }

    private static int Findings(string text, string file)
    {
        var set = ManifestReader.Read(text, file);
        return set.Findings.Count + PolicyLinter.Lint(ClusterModel.From(set)).Count();
    }

    [Benchmark]
    public int FindingsFromYaml() => Findings(_yaml, "dump.yaml");

    [Benchmark]
    public int FindingsFromJson() => Findings(_json, "dump.json");

    /// <summary>From the first web front end to the first database, on 5432, as -From/-To/-Port ask.</summary>
    [Benchmark]
    public bool QueryFromYaml() => Query(_yaml, "dump.yaml");

    [Benchmark]
    public bool QueryFromJson() => Query(_json, "dump.json");

    [Benchmark]
    public string FirstMatrixRowFromYaml() => FirstMatrixRow(_yaml, "dump.yaml");

    [Benchmark]
    public string FirstMatrixRowFromJson() => FirstMatrixRow(_json, "dump.json");

    private static bool Query(string text, string file)
    {
        var cluster = ClusterModel.From(ManifestReader.Read(text, file));
        var from = cluster.Pods.First(p => p.Kind == "Pod" && p.Labels.TryGetValue("tier", out var t) && t == "front");
        var to = cluster.Pods.First(p => p.Kind == "Pod" && p.Ports.Any(port => port.Port == 5432));
        return new ReachabilityEngine(cluster, null, null).Evaluate(Endpoint.Of(from), Endpoint.Of(to), 5432, "TCP").Allowed;
    }

    private static string FirstMatrixRow(string text, string file)
    {
        var cluster = ClusterModel.From(ManifestReader.Read(text, file));
        return ClassMatrix.Compute(cluster, null, null).Entries(MatrixGrouping.Workload, excludeAllowed: false).First().From;
    }

    [GlobalCleanup]
    public void ReportPeakMemory() => PeakMemory.Report();
}

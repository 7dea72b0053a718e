using System.Text;
using AksEgress.NetworkPolicy;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AksEgress.Benchmarks;

/// <summary>
/// The lint checks where a namespace holds as many policies as workloads: one namespace, each workload with its own
/// app label and a policy of its own that isolates both directions, allows ingress from the next workload and egress
/// to the one after (not DNS: every policy is an AKSNP302 finding). Trying every policy for every group of pods was
/// workloads x policies selector matches per check.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PolicyLintBenchmarks
{
    private ClusterModel _cluster = null!;

    [Params(3_000, 10_000, 30_000)]
    public int Workloads { get; set; }

    [GlobalSetup]
    public void Setup() => _cluster = ClusterModel.From(ManifestReader.Read(Manifests(Workloads), "crowded.yaml"));

    [Benchmark]
    public int Lint() => PolicyLinter.Lint(_cluster).Count();

    public static string Manifests(int workloads)
    {
        var text = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        for (var i = 0; i < workloads; i++)
        {
            text.Append($"- {{ apiVersion: v1, kind: Pod, metadata: {{ name: p{i}, namespace: crowded, labels: {{ app: a{i}, team: t }} }}, spec: {{ containers: [ {{ name: c, ports: [ {{ containerPort: 80 }} ] }} ] }} }}\n");
            text.Append($"- {{ apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {{ name: n{i}, namespace: crowded }}, spec: {{ podSelector: {{ matchLabels: {{ app: a{i} }} }}, policyTypes: [Ingress, Egress], ");
            text.Append($"ingress: [ {{ from: [ {{ podSelector: {{ matchLabels: {{ app: a{i + 1} }} }} }} ] }} ], egress: [ {{ to: [ {{ podSelector: {{ matchLabels: {{ app: a{i + 2} }} }} }} ], ports: [ {{ port: 80 }} ] }} ] }} }}\n");
        }

        return text.ToString();
    }
}

using AksEgress.NetworkPolicy;
using AksEgress.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AksEgress.Benchmarks;

/// <summary>
/// The full connectivity matrix (every ordered pair of pods, on every port each destination declares) of a generated
/// cluster whose pods are replicas of Deployment templates: computed and its allowed pairs counted, not printed.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class NetworkPolicyMatrixAtScaleBenchmarks
{
    private ClusterModel _cluster = null!;

    [Params(10_000)]
    public int Pods { get; set; }

    [Params(1_000)]
    public int Policies { get; set; }

    [GlobalSetup]
    public void Setup() => _cluster = RandomCluster.Generate(seed: 42, Pods, Policies, namespaces: 100, labelVariety: 8, templates: Pods / 20);

    [Benchmark]
    public long ClassMatrix10kPods() => ClassMatrix.Compute(_cluster, null, null).AllowedPairs();

    /// <summary>
    /// The pair-by-pair baseline on the same cluster would take tens of minutes: it is measured on 1% of the
    /// destinations (every source against every hundredth pod) and is to be multiplied by 100.
    /// </summary>
    [Benchmark]
    public long PairwiseOnePercentOfDestinations() =>
        PairwiseMatrix.Compute(_cluster, null, null, destinations: _cluster.Pods.Where((_, i) => i % 100 == 0)).LongCount(e => e.Allowed);

    /// <summary>The memory target is about the process, not the allocation rate: print its peak working set.</summary>
    [GlobalCleanup]
    public void ReportPeakMemory() => PeakMemory.Report();
}

/// <summary>The class matrix against the pair-by-pair evaluator on the same cluster, at a size the baseline can finish.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class NetworkPolicyMatrixVersusPairwiseBenchmarks
{
    private ClusterModel _cluster = null!;

    [GlobalSetup]
    public void Setup() => _cluster = RandomCluster.Generate(seed: 42, pods: 1_000, policies: 100, namespaces: 10, labelVariety: 8, templates: 50);

    [Benchmark(Baseline = true)]
    public long Pairwise() => PairwiseMatrix.Compute(_cluster, null, null).LongCount(e => e.Allowed);

    [Benchmark]
    public long Classes() => ClassMatrix.Compute(_cluster, null, null).AllowedPairs();
}

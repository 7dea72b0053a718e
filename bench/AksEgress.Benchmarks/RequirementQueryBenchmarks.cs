using AksEgress.Catalog;
using AksEgress.Requirements;
using BenchmarkDotNet.Attributes;

namespace AksEgress.Benchmarks;

/// <summary>The query engine alone, on the embedded catalog already parsed (a warm query).</summary>
[MemoryDiagnoser]
public class RequirementQueryBenchmarks
{
    private readonly RequirementQuery _default = new() { Location = "westeurope", AsOf = new DateTime(2026, 11, 27) };
    private readonly RequirementQuery _everything = new()
    {
        Location = "westeurope", AsOf = new DateTime(2026, 11, 27), Features = Enum.GetValues<AksFeature>(), IncludeOptional = true,
        DnsServers = [System.Net.IPAddress.Parse("10.0.0.4")], ApiServerAddress = System.Net.IPAddress.Parse("20.50.1.10"),
    };

    [GlobalSetup]
    public void Setup() => _ = RuleCatalog.Embedded;

    [Benchmark(Baseline = true)]
    public int DefaultCluster() => RequirementEngine.Query(RuleCatalog.Embedded, _default).Rules.Count;

    [Benchmark]
    public int EveryFeatureAndOption() => RequirementEngine.Query(RuleCatalog.Embedded, _everything).Rules.Count;
}

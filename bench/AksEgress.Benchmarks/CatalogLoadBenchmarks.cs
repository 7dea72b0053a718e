using AksEgress.Catalog;
using BenchmarkDotNet.Attributes;

namespace AksEgress.Benchmarks;

/// <summary>Parsing and validating the whole embedded catalog: the one-time cost of the first query in a session.</summary>
[MemoryDiagnoser]
public class CatalogLoadBenchmarks
{
    private string _yaml = "";

    [GlobalSetup]
    public void Setup()
    {
        using var stream = typeof(RuleCatalog).Assembly.GetManifestResourceStream("AksEgress.Catalog.aks-egress-catalog.yaml")!;
        _yaml = new StreamReader(stream).ReadToEnd();
    }

    [Benchmark]
    public int ParseEmbeddedCatalog() => RuleCatalog.Load(new StringReader(_yaml), "bench").Rules.Count;
}

using System.Text;
using AksEgress.NetworkPolicy;

namespace AksEgress.Core.Tests.NetworkPolicy;

/// <summary>Mutated manifests never make anything throw: every problem becomes a finding.</summary>
public class ManifestFuzzTests
{
    private static readonly string Examples = FindExamples();

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        foreach (var seed in Enumerable.Range(1, 40))
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutated_manifests_never_throw(int seed)
    {
        var random = new Random(seed);
        var sources = Directory.GetFiles(Examples, "*.yaml").Select(File.ReadAllText).ToList();
        for (var round = 0; round < 25; round++)
        {
            var text = new StringBuilder(string.Join("\n---\n", sources));
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                Mutator.Mutate(text, random);
            }

            var mutant = text.ToString();
            var exception = Record.Exception(() => Exercise(mutant));
            Assert.True(exception is null, $"seed {seed} round {round}: {exception}\n--- input ---\n{mutant}");
        }
    }

    private static void Exercise(string text)
    {
        var set = ManifestReader.Read(text, "fuzz.yaml");
        var cluster = ClusterModel.From(set);
        _ = PolicyLinter.Lint(cluster).ToList();
        foreach (var engine in Enum.GetValues<PolicyEngine>())
        {
            _ = EngineCompatibility.Check(cluster, engine, new Version(1, 30)).ToList();
            _ = ClassMatrix.Compute(cluster, engine, null).Entries().ToList();
        }

        var evaluator = new ReachabilityEngine(cluster);
        foreach (var from in cluster.Pods.Take(3))
        {
            foreach (var to in cluster.Pods.Take(3))
            {
                _ = evaluator.Evaluate(Endpoint.Of(from), Endpoint.Of(to), 80);
            }
        }
    }

    private static string FindExamples()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "docs", "examples", "k8s")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("docs/examples/k8s not found above the test assembly."), "docs", "examples", "k8s");
    }
}

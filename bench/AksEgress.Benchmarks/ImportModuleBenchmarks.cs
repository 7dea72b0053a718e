using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AksEgress.Benchmarks;

/// <summary>
/// What Import-Module AksEgress adds to starting pwsh: a bare "pwsh -NoProfile -c exit" against the same with the
/// import, in one run, as separate processes. The difference of the two means is the import cost.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class ImportModuleBenchmarks
{
    [Benchmark(Baseline = true)]
    public int BarePwsh() => RunPwsh("exit");

    [Benchmark]
    public int PwshWithImportModule() => RunPwsh($"Import-Module '{Paths.Module}'; exit");

    private static int RunPwsh(string command) => ChildProcess.Run(Paths.PwshHost, Paths.PwshPrefix.Concat(["-NoProfile", "-NonInteractive", "-Command", command]));
}

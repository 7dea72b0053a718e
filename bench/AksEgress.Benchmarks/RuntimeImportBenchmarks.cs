using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AksEgress.Benchmarks;

/// <summary>
/// What loading the module adds to a process on the runtimes no PowerShell host here runs on: the runtime host
/// (tests/AksEgress.RuntimeHost) started bare, against the same registering the module's resolver as its import does
/// (checking every dependency's hash; on the .NET Framework profile also loading the libraries). .NET 8 is the runtime
/// of PowerShell 7.4; Mono stands in for Windows PowerShell 5.1. build.ps1 -Task Bench builds both hosts; a runtime
/// that is missing is reported by BenchmarkDotNet as a failed benchmark.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class RuntimeImportBenchmarks
{
    [Benchmark(Baseline = true)]
    public int Net8Bare() => Run(Paths.RuntimeHost("net8.0"), "--noop");

    [Benchmark]
    public int Net8Import() => Run(Paths.RuntimeHost("net8.0"), "--register-only");

    [Benchmark]
    public int MonoBare() => Run("mono", Paths.RuntimeHost("net472"), "--noop");

    [Benchmark]
    public int MonoImport() => Run("mono", Paths.RuntimeHost("net472"), "--register-only");

    private static int Run(string program, params string[] arguments) =>
        ChildProcess.Run(program, arguments.Concat(["--module", Path.GetDirectoryName(Paths.Module)!]));
}

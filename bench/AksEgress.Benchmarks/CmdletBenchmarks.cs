using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BenchmarkDotNet.Attributes;

namespace AksEgress.Benchmarks;

/// <summary>
/// Get-AksEgressRequirement as a user calls it: through PowerShell, in a runspace where the built module
/// (out/AksEgress, or AKSEGRESS_MODULE) is imported and the catalog already loaded.
/// </summary>
[MemoryDiagnoser]
public class CmdletBenchmarks
{
    private Runspace? _runspace;

    [GlobalSetup]
    public void Setup()
    {
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        using var ps = PowerShell.Create(_runspace);
        ps.AddCommand("Import-Module").AddParameter("Name", Paths.Module).AddStatement()
          .AddCommand("Get-AksEgressRequirement").AddParameter("Location", "westeurope").Invoke();
        if (ps.HadErrors)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, ps.Streams.Error));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _runspace?.Dispose();

    [Benchmark]
    public int WarmGetAksEgressRequirement()
    {
        using var ps = PowerShell.Create(_runspace!);
        return ps.AddCommand("Get-AksEgressRequirement").AddParameter("Location", "westeurope").AddParameter("Feature", new[] { "AzureMonitor" }).Invoke().Count;
    }
}

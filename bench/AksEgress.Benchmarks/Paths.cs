namespace AksEgress.Benchmarks;

/// <summary>Where the built module and pwsh are; build.ps1 -Task Bench sets both variables.</summary>
internal static class Paths
{
    public static string Module => Environment.GetEnvironmentVariable("AKSEGRESS_MODULE")
        ?? throw new InvalidOperationException("Set AKSEGRESS_MODULE to the built AksEgress.psd1 (build.ps1 -Task Bench does).");

    /// <summary>pwsh.dll of the PowerShell .NET tool (run with dotnet), or a pwsh executable.</summary>
    private static string Pwsh => Environment.GetEnvironmentVariable("AKSEGRESS_PWSH")
        ?? throw new InvalidOperationException("Set AKSEGRESS_PWSH to pwsh or pwsh.dll (build.ps1 -Task Bench does).");

    public static string PwshHost => Pwsh.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? "dotnet" : Pwsh;

    /// <summary>The runtime host built for <paramref name="framework"/> (net8.0: a self-contained program; net472: an .exe for Mono).</summary>
    public static string RuntimeHost(string framework) =>
        Path.Combine(Environment.GetEnvironmentVariable("AKSEGRESS_RUNTIME_HOSTS") ?? throw new InvalidOperationException("Set AKSEGRESS_RUNTIME_HOSTS (build.ps1 -Task Bench does)."),
            framework, framework == "net472" ? "AksEgress.RuntimeHost.exe" : "AksEgress.RuntimeHost");

    public static string[] PwshPrefix => Pwsh.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? [Pwsh] : [];
}

/// <summary>The memory targets are about the process, not the allocation rate: a benchmark's cleanup prints its peak working set.</summary>
internal static class PeakMemory
{
    public static void Report() =>
        Console.WriteLine($"// Peak working set: {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
}

using System.Diagnostics;

namespace AksEgress.Benchmarks;

/// <summary>Runs a program to its end, as the import benchmarks measure whole processes; a failure stops the benchmark.</summary>
internal static class ChildProcess
{
    public static int Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0 ? 0 : throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {process.StandardError.ReadToEnd()}");
    }
}

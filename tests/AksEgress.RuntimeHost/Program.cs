using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AksEgress.RuntimeHost;

/// <summary>
/// AksEgress.RuntimeHost --module out/AksEgress --results file.json
///     [--repo .] | [--closure refs-folder] | [--expect-error "text|text"]   [--preload some.dll]
/// AksEgress.RuntimeHost --noop | --module out/AksEgress --register-only      (for the import benchmark)
/// Loads the built module the way PowerShell does (its AksEgress.Init.dll registers the resolver) and runs the engine
/// end to end, printing one line per check and writing the counts as JSON. Exit 0 when nothing failed.
/// With --closure (on .NET only) it checks, statically, that every reference of every shipped assembly resolves
/// against the .NET Framework reference assemblies in that folder or to a shipped assembly of at least that version.
/// With --expect-error it checks that loading the module folder fails with a DependencyException saying those words.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        if (args.Contains("--noop"))
        {
            return 0; // the benchmark's baseline: starting this program
        }

        var module = Path.GetFullPath(Arg("--module") ?? throw new ArgumentException("--module <folder> is required."));
        if (args.Contains("--register-only"))
        {
            Register(module); // the benchmark: what importing the module adds to a process on this runtime
            return 0;
        }

        var results = Arg("--results") ?? throw new ArgumentException("--results <file> is required.");
        var checks = new Checks($"{RuntimeInformation.FrameworkDescription.Trim()}");

        if (Arg("--closure") is { } references)
        {
#if NET
            ClosureCheck.Run(checks, module, Path.GetFullPath(references));
#else
            throw new ArgumentException("--closure runs on .NET only.");
#endif
        }
        else if (Arg("--expect-error") is { } expected)
        {
            // A module folder that must not load: --preload loads an assembly first, as another module would.
            checks.Run($"the import fails with a message containing: {expected}", () =>
            {
                if (Arg("--preload") is { } preload)
                {
                    Assembly.LoadFrom(Path.GetFullPath(preload));
                }

                var error = Expect.Throws<TargetInvocationException>(() => Register(module), "registering the resolver").InnerException!;
                Expect.Equal("AksEgress.Init.DependencyException", error.GetType().FullName, "exception type");
                foreach (var part in expected.Split('|'))
                {
                    Expect.True(error.Message.Contains(part), $"'{part}' is not in: {error.Message}");
                }
            });
        }
        else
        {
            if (Arg("--preload") is { } preload)
            {
                Assembly.LoadFrom(Path.GetFullPath(preload)); // as another module (Az.Accounts) would, before this one
            }

            Register(module);
            RunScenarios(checks, module, Path.GetFullPath(Arg("--repo") ?? "."), Arg("--preload") is not null);
        }

        File.WriteAllText(results, $"{{ \"Passed\": {checks.Passed}, \"Failed\": {checks.Failed}, \"Skipped\": {checks.Skipped} }}");
        Console.WriteLine($"{checks.Runtime}: {checks.Passed} passed, {checks.Failed} failed, {checks.Skipped} skipped");
        return checks.Failed == 0 ? 0 : 1;
    }

    /// <summary>What the module's nested module AksEgress.Init does at import.</summary>
    private static void Register(string module) =>
        Assembly.LoadFrom(Path.Combine(module, "AksEgress.Init.dll")).GetType("AksEgress.Init.DependencyResolver", throwOnError: true)!
            .GetMethod("Register")!.Invoke(null, [module]);

    // Kept out of Main: the engine's types must not be resolved before the module's resolver is registered.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunScenarios(Checks checks, string module, string repo, bool preloaded) => new EngineScenarios(checks, module, repo).RunAll(preloaded);
}

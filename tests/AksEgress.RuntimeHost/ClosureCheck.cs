#if NET
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AksEgress.RuntimeHost;

/// <summary>
/// The static half of the Windows PowerShell 5.1 proof: .NET Framework 4.7.2 binds no assembly by itself that it does
/// not have, so every assembly reference of every assembly the module loads there must resolve against the .NET
/// Framework 4.7.2 reference assemblies (with their Facades) or to a shipped assembly of at least the version asked for.
/// PowerShell's own assemblies are the host's. AksEgress.Loader.dll is skipped: only .NET loads it.
/// </summary>
public static class ClosureCheck
{
    private static readonly string[] HostAssemblies = ["System.Management.Automation", "Microsoft.PowerShell.Commands.Utility", "Microsoft.PowerShell.ConsoleHost"];

    public static void Run(Checks checks, string module, string referenceFolder)
    {
        var framework = Index(Directory.GetFiles(referenceFolder, "*.dll").Concat(Directory.GetFiles(Path.Combine(referenceFolder, "Facades"), "*.dll")));
        var dependencies = Path.Combine(module, "Dependencies");
        var root = new[] { "AksEgress.dll", "AksEgress.Init.dll" }.Select(f => Path.Combine(module, f)).ToList();
        var netFramework = root.Concat(Directory.GetFiles(Path.Combine(dependencies, "NetFramework"), "*.dll")).ToList();
        var dotNet = root.Concat(Directory.GetFiles(dependencies, "*.dll")).ToList();
        var shipped = Index(netFramework);
        checks.Run($"the framework reference assemblies are there ({framework.Count} in {referenceFolder})", () => Expect.True(framework.ContainsKey("mscorlib") && framework.ContainsKey("netstandard"), "mscorlib and netstandard facade"));

        foreach (var file in netFramework)
        {
            checks.Run($"every reference of {Path.GetRelativePath(module, file)} resolves on .NET Framework 4.7.2", () =>
            {
                var unresolved = References(file)
                    .Where(r => !HostAssemblies.Contains(r.Name) && !(shipped.TryGetValue(r.Name, out var s) && s >= r.Version) && !(framework.TryGetValue(r.Name, out var f) && f >= r.Version))
                    .Select(r => $"{r.Name} {r.Version} (shipped: {(shipped.TryGetValue(r.Name, out var s) ? s : "none")}, framework: {(framework.TryGetValue(r.Name, out var f) ? f : "none")})")
                    .ToList();
                Expect.True(unresolved.Count == 0, "unresolved: " + string.Join("; ", unresolved));
            });
        }

        foreach (var (set, files) in new[] { ("Dependencies/NetFramework (.NET Framework)", netFramework), ("Dependencies (.NET)", dotNet) })
        {
            checks.Run($"every library of {set} is referenced by a shipped assembly of that set", () =>
            {
                var referenced = new HashSet<string>(files.SelectMany(References).Select(r => r.Name), StringComparer.OrdinalIgnoreCase);
                var unused = files.Select(f => Path.GetFileNameWithoutExtension(f)!).Where(n => n is not ("AksEgress" or "AksEgress.Init") && !referenced.Contains(n)).ToList();
                Expect.True(unused.Count == 0, "shipped but never referenced: " + string.Join(", ", unused));
            });
        }
    }

    private static Dictionary<string, Version> Index(IEnumerable<string> files)
    {
        var index = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            using var pe = new PEReader(File.OpenRead(file));
            if (!pe.HasMetadata || !pe.GetMetadataReader().IsAssembly)
            {
                continue;
            }

            var definition = pe.GetMetadataReader().GetAssemblyDefinition();
            var name = pe.GetMetadataReader().GetString(definition.Name);
            if (!index.TryGetValue(name, out var known) || known < definition.Version)
            {
                index[name] = definition.Version;
            }
        }

        return index;
    }

    private static List<(string Name, Version Version)> References(string file)
    {
        using var pe = new PEReader(File.OpenRead(file));
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h)).Select(r => (reader.GetString(r.Name), r.Version)).ToList();
    }
}
#endif

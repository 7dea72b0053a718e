using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AksEgress.Init;

/// <summary>
/// Finds the module's engine (AksEgress.Core, AksEgress.Azure) and its dependencies in Dependencies/, on both kinds of
/// runtime. On .NET (PowerShell 7) the engine loads in AksEgress.Loader's AssemblyLoadContext, which takes the
/// runtime's own copy of an assembly when it is at least the version asked for and the copy in Dependencies/ otherwise.
/// On .NET Framework (Windows PowerShell 5.1) there are no load contexts and powershell.exe has no binding redirects for
/// modules: everything comes from Dependencies/NetFramework/ (the engine and each library's .NET Framework build; the
/// binder probes the folder an assembly came from, so the two sets must not share one), and every request for an
/// assembly shipped there binds, by simple name, to it, whatever version is asked. Its libraries are loaded at import,
/// so that a module imported later shares them.
/// It uses no PowerShell type, so that test hosts on other runtimes run exactly this code.
/// </summary>
public static class DependencyResolver
{
    /// <summary>The list the build writes into Dependencies/: one line per shipped file, "relative/path.dll SHA-256".</summary>
    public const string ListFileName = "AksEgress.Dependencies.txt";

    /// <summary>The subfolder of Dependencies/ with the engine and its libraries as .NET Framework resolves them.</summary>
    public const string NetFrameworkFolder = "NetFramework";

    private static readonly string[] EngineAssemblies = ["AksEgress.Core", "AksEgress.Azure"];
    private static readonly object Gate = new();
    private static string? _folder;
    private static Func<string, Assembly>? _loadEngine;
    private static bool _subscribed;

    public static bool IsNetFramework { get; } = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal)
        || Type.GetType("Mono.Runtime") is not null; // Mono runs the .NET Framework profile, as Windows PowerShell does

    /// <summary>
    /// Checks Dependencies/ against the build's list and, on .NET Framework, against what the session already loaded;
    /// then answers the runtime's requests for the engine. Throws <see cref="DependencyException"/> naming the file
    /// and the fix; nothing is registered then.
    /// </summary>
    public static void Register(string moduleFolder)
    {
        lock (Gate)
        {
            if (_folder is not null)
            {
                Subscribe(true); // imported again after Remove-Module: the engine is loaded already, or will load as before
                return;
            }

            if (!IsNetFramework && Environment.Version.Major < 6)
            {
                throw new DependencyException($"AksEgress needs PowerShell 7.2 or later (.NET 6 or later), or Windows PowerShell 5.1; this is .NET {Environment.Version}. Update PowerShell.");
            }

            var dependencies = Path.Combine(moduleFolder, "Dependencies");
            var folder = IsNetFramework ? Path.Combine(dependencies, NetFrameworkFolder) : dependencies;
            var shipped = Verify(dependencies, folder);
            if (IsNetFramework)
            {
                var names = shipped.Select(AssemblyName.GetAssemblyName).ToList();
                if (Conflicts(names, folder) is { Length: > 0 } message)
                {
                    throw new DependencyException(message);
                }

                foreach (var name in names.Where(n => !EngineAssemblies.Contains(n.Name)))
                {
                    Assembly.LoadFrom(Path.Combine(folder, name.Name + ".dll"));
                }
            }

            _folder = folder;
            _loadEngine = IsNetFramework ? Assembly.LoadFrom : DotNetLoader(moduleFolder, folder);
            Subscribe(true);
        }
    }

    public static void Unregister()
    {
        lock (Gate)
        {
            Subscribe(false);
        }
    }

    private static void Subscribe(bool on)
    {
        if (on != _subscribed)
        {
            if (on)
            {
                AppDomain.CurrentDomain.AssemblyResolve += Resolve;
            }
            else
            {
                AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
            }

            _subscribed = on;
        }
    }

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name).Name;
        var path = Path.Combine(_folder!, name + ".dll");
        if (EngineAssemblies.Contains(name))
        {
            return _loadEngine!(path);
        }

        // .NET Framework: the shipped copy whatever version was asked (the tests check it is at least that version).
        return IsNetFramework && File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }

    /// <summary>Every file of the build's list that this runtime loads (those in <paramref name="folder"/>) is there and unchanged; returns their paths.</summary>
    private static List<string> Verify(string dependencies, string folder)
    {
        const string Fix = "Reinstall the module (Install-PSResource AksEgress -Reinstall, or import AksEgress.zip into the Automation account again).";
        var list = Path.Combine(dependencies, ListFileName);
        if (!File.Exists(list))
        {
            throw new DependencyException($"The module folder is incomplete: {list} is missing. {Fix}");
        }

        var paths = new List<string>();
        using var sha = SHA256.Create();
        foreach (var line in File.ReadAllLines(list).Where(l => l.Trim().Length > 0))
        {
            var parts = line.Split(' ');
            var path = Path.Combine(dependencies, parts[0].Replace('/', Path.DirectorySeparatorChar));
            if (!SamePath(Path.GetDirectoryName(path)!, folder))
            {
                continue; // the other runtime's set
            }

            if (!File.Exists(path))
            {
                throw new DependencyException($"The module's dependency {path} is missing. {Fix}");
            }

            using (var stream = File.OpenRead(path))
            {
                var hash = BitConverter.ToString(sha.ComputeHash(stream)).Replace("-", "");
                if (parts.Length != 2 || !string.Equals(hash, parts[1], StringComparison.OrdinalIgnoreCase))
                {
                    throw new DependencyException($"The module's dependency {path} is damaged (its content is not the one the module was built with). {Fix}");
                }
            }

            paths.Add(path);
        }

        return paths;
    }

    /// <summary>
    /// .NET Framework binds a request to an assembly already loaded with the same identity (or, for an assembly
    /// without a strong name, the same simple name), so an older copy loaded by another module (Az.Accounts' Azure.Core,
    /// whose assembly version stays 1.0.0.0 across releases) would silently replace the module's own.
    /// </summary>
    internal static string Conflicts(IEnumerable<AssemblyName> shipped, string folder)
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic).ToList();
        var problems = new List<string>();
        foreach (var name in shipped)
        {
            var path = Path.Combine(folder, name.Name + ".dll");
            foreach (var other in loaded)
            {
                var otherName = other.GetName();
                var bindsInstead = otherName.Name == name.Name
                    && (name.GetPublicKeyToken() is not { Length: > 0 } ? otherName.Version < name.Version : otherName.FullName == name.FullName);
                if (bindsInstead && !SamePath(other.Location, path) && FileVersion(other.Location) < FileVersion(path))
                {
                    problems.Add($"{name.Name} {ProductVersion(other.Location)} is already loaded from {other.Location}; AksEgress needs {ProductVersion(path)} ({path}).");
                }
            }
        }

        return problems.Count == 0 ? "" : string.Join(" ", problems)
            + " Windows PowerShell would run AksEgress on the older copy, as it has no load contexts. Import AksEgress first in a new session (before the module that loaded it), or use PowerShell 7.4 or later, where both copies load side by side.";
    }

    private static bool SamePath(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>The package version a person knows ("1.64.0"), from the informational version without its commit.</summary>
    private static string ProductVersion(string path) => FileVersionInfo.GetVersionInfo(path).ProductVersion?.Split('+')[0] ?? FileVersion(path).ToString();

    private static Version FileVersion(string path) =>
        string.IsNullOrEmpty(path) || FileVersionInfo.GetVersionInfo(path).FileVersion is not { } text || !Version.TryParse(text.Split(' ')[0], out var version)
            ? new Version(0, 0)
            : version;

    /// <summary>On .NET (PowerShell 7): DependencyLoadContext.LoadFromAssemblyPath, reached by reflection from netstandard2.0.</summary>
    private static Func<string, Assembly> DotNetLoader(string moduleFolder, string dependencyFolder)
    {
        var loader = Assembly.LoadFrom(Path.Combine(moduleFolder, "AksEgress.Loader.dll"));
        var context = Activator.CreateInstance(loader.GetType("AksEgress.Loader.DependencyLoadContext", throwOnError: true)!, dependencyFolder)!;
        var loadFromPath = context.GetType().GetMethod("LoadFromAssemblyPath", [typeof(string)])!;
        return path => (Assembly)loadFromPath.Invoke(context, [path])!;
    }
}

using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AksEgress.Init;

/// <summary>
/// Isolates the module's dependencies (see "Resolving PowerShell module assembly dependency conflicts"). The cmdlets
/// live in AksEgress.dll, which this nested module is imported before; the engine (AksEgress.Core, AksEgress.Azure) and its dependencies live in
/// Dependencies/, where the default context does not look. When the runtime asks for an engine assembly, it is loaded
/// in AksEgress.Loader's own AssemblyLoadContext, which then resolves Azure.Core and the rest from Dependencies/ as well.
/// Windows PowerShell 5.1 has no load contexts: there the engine is loaded from Dependencies/ into the process.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
    private static readonly string DependencyFolder = Path.Combine(ModuleFolder, "Dependencies");
    private static readonly string[] EngineAssemblies = ["AksEgress.Core", "AksEgress.Azure"];
    private static readonly Lazy<Func<string, Assembly>> LoadEngine = new(CreateLoader);

    public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

    public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name).Name;
        if (EngineAssemblies.Contains(name))
        {
            return LoadEngine.Value(Path.Combine(DependencyFolder, name + ".dll"));
        }

        // Windows PowerShell: the engine's own dependencies, which the process cannot find by itself.
        var path = Path.Combine(DependencyFolder, name + ".dll");
        return IsNetFramework && File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }

    private static bool IsNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    /// <summary>On .NET (PowerShell 7): DependencyLoadContext.LoadFromAssemblyPath, reached by reflection from netstandard2.0.</summary>
    private static Func<string, Assembly> CreateLoader()
    {
        if (IsNetFramework)
        {
            return Assembly.LoadFrom;
        }

        var loader = Assembly.LoadFrom(Path.Combine(ModuleFolder, "AksEgress.Loader.dll"));
        var context = Activator.CreateInstance(loader.GetType("AksEgress.Loader.DependencyLoadContext", throwOnError: true)!, DependencyFolder)!;
        var loadFromPath = context.GetType().GetMethod("LoadFromAssemblyPath", [typeof(string)])!;
        return path => (Assembly)loadFromPath.Invoke(context, [path])!;
    }
}

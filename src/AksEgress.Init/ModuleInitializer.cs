using System.IO;
using System.Management.Automation;

namespace AksEgress.Init;

/// <summary>
/// Isolates the module's dependencies (see "Resolving PowerShell module assembly dependency conflicts"). The cmdlets
/// live in AksEgress.dll, which this nested module is imported before; the engine and its dependencies live in
/// Dependencies/, where only <see cref="DependencyResolver"/> looks. A missing or damaged dependency, or (on Windows
/// PowerShell) an older copy of one already loaded by another module, fails the import with a message saying what to do.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => DependencyResolver.Register(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!);

    public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unregister();
}

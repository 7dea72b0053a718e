using System.Reflection;
using System.Runtime.Loader;

namespace AksEgress.Loader;

/// <summary>
/// The load context of the module's engine and its dependencies. An assembly the module ships in Dependencies/ is
/// loaded from there unless the .NET runtime itself (its shared framework folder, not $PSHOME) has it in at least the
/// version asked for: so System.Text.Json 10 comes from the runtime on .NET 10 and from Dependencies/ on .NET 8, and
/// Azure.Core always from Dependencies/, apart from any Azure.Core another module (Az.Accounts) loaded. Anything the
/// module does not ship comes from the default context (the runtime, PowerShell).
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly string RuntimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
    private readonly string _folder;

    public DependencyLoadContext(string folder)
        : base("AksEgress", isCollectible: false) => _folder = folder;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var shipped = Path.Combine(_folder, assemblyName.Name + ".dll");
        if (!File.Exists(shipped))
        {
            return null;
        }

        return RuntimeVersion(assemblyName.Name!) is { } runtime && runtime >= (assemblyName.Version ?? new Version(0, 0))
            ? null
            : LoadFromAssemblyPath(shipped);
    }

    /// <summary>The version of the runtime's own copy of an assembly; null when the runtime has none.</summary>
    public static Version? RuntimeVersion(string name)
    {
        var path = Path.Combine(RuntimeFolder, name + ".dll");
        try
        {
            return File.Exists(path) ? AssemblyName.GetAssemblyName(path).Version : null;
        }
        catch (BadImageFormatException)
        {
            return null; // a native library of that name: not a managed copy
        }
    }
}

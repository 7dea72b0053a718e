using System.Reflection;
using System.Runtime.Loader;

namespace AksEgress.Loader;

/// <summary>
/// Loads every assembly found in the module's Dependencies folder in this context, ahead of what the default context
/// already holds; anything else (the runtime, PowerShell) comes from the default context. So AksEgress's Azure.Core and
/// Az.Accounts' Azure.Core live side by side in one session.
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _folder;

    public DependencyLoadContext(string folder)
        : base("AksEgress", isCollectible: false) => _folder = folder;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_folder, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}

using System.IO;
using System.Management.Automation;
using AksEgress.Catalog;

namespace AksEgress.PowerShell;

/// <summary>Base of the cmdlets that read the rule catalog: the embedded one, or the file given with -CatalogPath.</summary>
public abstract class CatalogCmdlet : PSCmdlet
{
    /// <summary>A catalog file in the documented format (docs/catalog.md) to use instead of the embedded one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    /// <summary>The catalog in use; set in BeginProcessing.</summary>
    protected RuleCatalog Catalog { get; private set; } = null!;

    protected override void BeginProcessing()
    {
        if (CatalogPath is null)
        {
            Catalog = Load(() => RuleCatalog.Embedded, "(embedded)");
            return;
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CatalogPath);
        if (!File.Exists(path))
        {
            var what = Directory.Exists(path) ? "is a folder, not a catalog file" : "does not exist";
            ThrowTerminatingError(ModuleErrors.Record(
                new FileNotFoundException($"Catalog file '{path}' {what}. Give the path of a YAML or JSON catalog (format: docs/catalog.md), or omit -CatalogPath to use the embedded catalog.", path),
                "CatalogNotFound", CatalogPath));
        }

        Catalog = Load(() => RuleCatalog.LoadFile(path), path);
    }

    private RuleCatalog Load(Func<RuleCatalog> load, string origin)
    {
        try
        {
            var catalog = load();
            WriteVerbose($"Catalog {catalog.Version} (published {catalog.Published:yyyy-MM-dd}) from {origin}: {catalog.Rules.Count} rules.");
            return catalog;
        }
        catch (CatalogException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, "InvalidCatalog", origin));
            throw; // not reached: ThrowTerminatingError throws
        }
        catch (IOException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, "CatalogUnreadable", origin));
            throw;
        }
        catch (UnauthorizedAccessException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, "CatalogUnreadable", origin));
            throw;
        }
    }
}

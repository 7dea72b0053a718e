using System.IO;
using System.Management.Automation;
using AksEgress.Catalog;

namespace AksEgress.PowerShell;

/// <summary>Base of the cmdlets that read the rule catalog: the file given with -CatalogPath, else the per-user catalog when it is newer, else the embedded one.</summary>
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
            // The per-user catalog Update-AksEgressCatalog wrote, when it is newer than the embedded one.
            var embedded = Load(() => RuleCatalog.Embedded, "(embedded)");
            if (AksEgress.Catalog.Import.UserCatalog.Newer(embedded, out var why, out var broken) is { } user)
            {
                WriteVerbose($"Using the per-user catalog {user.Origin}: {user.Version}, published {user.Published:yyyy-MM-dd}, newer than the embedded {embedded.Version} (published {embedded.Published:yyyy-MM-dd}). Give -CatalogPath to choose another.");
                Catalog = user;
                return;
            }

            if (why is not null && broken)
            {
                WriteWarning(why);
            }
            else if (why is not null)
            {
                WriteVerbose(why);
            }

            Catalog = embedded;
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

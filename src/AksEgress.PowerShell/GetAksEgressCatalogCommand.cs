using System.Management.Automation;
using AksEgress.Catalog;

namespace AksEgress.PowerShell;

/// <summary>Get-AksEgressCatalog: the catalog in use: its version, sources, editions, amendments and rules.</summary>
[Cmdlet(VerbsCommon.Get, "AksEgressCatalog")]
[OutputType(typeof(RuleCatalog))]
public sealed class GetAksEgressCatalogCommand : CatalogCmdlet
{
    protected override void EndProcessing() => WriteObject(Catalog);
}

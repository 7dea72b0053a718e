using System.Management.Automation;
using System.Net;
using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.PowerShell;

/// <summary>
/// Base of the cmdlets that ask the catalog which rules a cluster needs (Get-AksEgressRequirement, and
/// Test-AksFirewallPolicy when nothing is piped to it): the requirement query's parameters, declared once, and the query.
/// -Location is declared by each cmdlet, because it takes the pipeline differently in each.
/// </summary>
public abstract class RequirementCmdlet : CatalogCmdlet
{
    [Parameter]
    public AksCloud Cloud { get; set; } = AksCloud.AzureCloud;

    [Parameter]
    [ValidateNotNull]
    public AksFeature[] Feature { get; set; } = [];

    [Parameter]
    public SwitchParameter PrivateCluster { get; set; }

    [Parameter]
    public SwitchParameter Konnectivity { get; set; }

    /// <summary>A network isolated cluster (outbound type none or block): no core rules, only those of its features.</summary>
    [Parameter]
    public SwitchParameter NetworkIsolated { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public IPAddress[] DnsServer { get; set; } = [];

    [Parameter]
    [ValidateNotNull]
    public IPAddress? ApiServerAddress { get; set; }

    [Parameter]
    public SwitchParameter IncludeOptional { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public RuleCategory[]? Category { get; set; }

    [Parameter]
    public MonitorAccess AzureMonitorAccess { get; set; } = MonitorAccess.Fqdn;

    [Parameter]
    public DateTime AsOf { get; set; } = DateTime.UtcNow.Date;

    /// <summary>-Cloud when given; else the cloud every piped rule shares; else Azure public. One rule for every cmdlet.</summary>
    protected AksCloud EffectiveCloud(IEnumerable<AksEgressRule> piped) =>
        MyInvocation.BoundParameters.ContainsKey(nameof(Cloud)) ? Cloud : PipedValues.Shared(piped.Select(r => r.CloudValue));

    /// <summary>
    /// The rules for <paramref name="location"/> (or the cluster's region), with the cluster's features, DNS servers and
    /// API server address added to the parameters. A bad location is a non-terminating UnknownLocation (null is
    /// returned); a cluster in another cloud stops the cmdlet. Omissions are verbose lines, the query's warnings warnings.
    /// </summary>
    protected RequirementResult? Query(string? location, ManagedClusterProfile? cluster, CatalogEdition edition = CatalogEdition.Current)
    {
        var query = new RequirementQuery
        {
            Cloud = Cloud,
            Location = cluster?.Location ?? location ?? "",
            Features = cluster is null ? Feature : Feature.Union(cluster.Features).ToList(),
            PrivateCluster = PrivateCluster || (cluster?.PrivateCluster ?? false),
            Konnectivity = Konnectivity,
            NetworkIsolated = NetworkIsolated || (cluster?.NetworkIsolated ?? false),
            DnsServers = DnsServer.Length > 0 || cluster is null ? DnsServer : cluster.DnsServers,
            ApiServerAddress = ApiServerAddress ?? cluster?.ApiServerAddress,
            Categories = Category,
            IncludeOptional = IncludeOptional,
            AzureMonitorAccess = AzureMonitorAccess,
            Edition = edition,
            AsOf = AsOf.Date,
        };

        RequirementResult result;
        try
        {
            result = RequirementEngine.Query(Catalog, query);
        }
        catch (UnknownLocationException ex) when (cluster is not null)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, "ClusterInAnotherCloud", cluster.Name));
            return null;
        }
        catch (UnknownLocationException ex)
        {
            var record = ModuleErrors.Record(ex, "UnknownLocation", location);
            record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = ex.Suggestions.Count > 0 ? $"Use one of: {string.Join(", ", ex.Suggestions)}." : "Press Tab after -Location to list the regions." };
            WriteError(record);
            return null;
        }

        foreach (var omission in result.Omissions)
        {
            WriteVerbose($"Left out {omission.RuleId}: {omission.Reason}");
        }

        foreach (var warning in result.Warnings)
        {
            WriteWarning(warning);
        }

        WriteVerbose($"{Cloud} {result.Location}, edition {edition}, as of {AsOf:yyyy-MM-dd}: {result.Rules.Count} rules.");
        return result;
    }
}

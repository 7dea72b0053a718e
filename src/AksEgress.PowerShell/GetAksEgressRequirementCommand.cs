using System.Management.Automation;
using System.Net;
using AksEgress.Azure;
using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.PowerShell;

/// <summary>Get-AksEgressRequirement: the egress rules a cluster needs, for a cloud, a region, its options and features.</summary>
[Cmdlet(VerbsCommon.Get, "AksEgressRequirement", DefaultParameterSetName = ByLocation)]
[OutputType(typeof(AksEgressRule))]
public sealed class GetAksEgressRequirementCommand : CatalogCmdlet, IDynamicParameters
{
    private const string ByLocation = "Location";
    private const string ByClusterId = "ClusterId";
    private const string ByClusterName = "ClusterName";
    private readonly ArmCommandRunner _arm;

    public GetAksEgressRequirementCommand() => _arm = new ArmCommandRunner(this, "Get-AksEgressRequirement");

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByLocation)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LocationCompleter))]
    public string Location { get; set; } = "";

    /// <summary>An AKS cluster to read the region, private API server, add-ons, node pools and DNS servers from (read only).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByClusterId)]
    [ValidateNotNullOrEmpty]
    public string? ClusterResourceId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string ResourceGroupName { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string ClusterName { get; set; } = "";

    /// <summary>-SubscriptionId, -ArmEndpoint, -AccessToken and -TenantId, used when reading a cluster.</summary>
    public object GetDynamicParameters() => _arm.Connection;

    [Parameter]
    public AksCloud Cloud { get; set; } = AksCloud.AzureCloud;

    [Parameter]
    [ValidateNotNull]
    public AksFeature[] Feature { get; set; } = [];

    [Parameter]
    public SwitchParameter PrivateCluster { get; set; }

    [Parameter]
    public SwitchParameter Konnectivity { get; set; }

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
    public CatalogEdition Edition { get; set; } = CatalogEdition.Current;

    [Parameter]
    public DateTime AsOf { get; set; } = DateTime.UtcNow.Date;

    protected override void StopProcessing() => _arm.Cancel();

    protected override void ProcessRecord()
    {
        var cluster = ReadCluster();
        if (ParameterSetName != ByLocation && cluster is null)
        {
            return; // cancelled
        }

        var query = new RequirementQuery
        {
            Cloud = Cloud,
            Location = cluster?.Location ?? Location,
            Features = cluster is null ? Feature : Feature.Union(cluster.Features).ToList(),
            PrivateCluster = PrivateCluster || (cluster?.PrivateCluster ?? false),
            Konnectivity = Konnectivity,
            DnsServers = DnsServer.Length > 0 || cluster is null ? DnsServer : cluster.DnsServers,
            ApiServerAddress = ApiServerAddress ?? cluster?.ApiServerAddress,
            Categories = Category,
            IncludeOptional = IncludeOptional,
            AzureMonitorAccess = AzureMonitorAccess,
            Edition = Edition,
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
            return;
        }
        catch (UnknownLocationException ex)
        {
            var record = ModuleErrors.Record(ex, "UnknownLocation", Location);
            record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = ex.Suggestions.Count > 0 ? $"Use one of: {string.Join(", ", ex.Suggestions)}." : "Press Tab after -Location to list the regions." };
            WriteError(record);
            return;
        }

        foreach (var omission in result.Omissions)
        {
            WriteVerbose($"Left out {omission.RuleId}: {omission.Reason}");
        }

        foreach (var warning in result.Warnings)
        {
            WriteWarning(warning);
        }

        WriteVerbose($"{Cloud} {result.Location}, edition {Edition}, as of {AsOf:yyyy-MM-dd}: {result.Rules.Count} rules.");
        WriteObject(result.Rules, enumerateCollection: true);
    }

    /// <summary>The cluster's egress profile, read through ARM, in the cluster parameter sets; null otherwise.</summary>
    private ManagedClusterProfile? ReadCluster()
    {
        if (ParameterSetName == ByLocation)
        {
            return null;
        }

        if (_arm.ClusterId(Cloud, ClusterResourceId, ResourceGroupName, ClusterName) is not { } id)
        {
            return null; // cancelled
        }

        WriteVerbose(_arm.Describe(Cloud));
        var profile = _arm.Run(ct => _arm.ReadClusterAsync(Cloud, id, ct), "Reading the AKS cluster", id);
        foreach (var line in profile?.Evidence ?? [])
        {
            WriteVerbose($"From the cluster: {line}");
        }

        return profile;
    }
}
